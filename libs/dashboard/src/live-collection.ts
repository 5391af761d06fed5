import { ApiFailure, type ApiClient, type ListItem } from './api-client';
import { ChangeStream, type StreamState } from './change-stream';
import type { RecordCollection } from './records';

/** Items per list page while loading one cluster. */
const PAGE_SIZE = 1000;

/**
 * The records of one kind in one cluster, kept as small summaries: listed in
 * pages at one revision (`cluster` + `limit` + `nextToken`), then kept current
 * by the stream after that revision, of which only that cluster's changes are
 * kept. Listeners are told after each change; views throttle their renders
 * themselves.
 */
export class LiveCollection<E extends Record<string, unknown>, S extends { readonly arn: string }> {
  items = new Map<string, S>();
  loaded = false;
  state: StreamState | 'loading' = 'loading';
  error: string | undefined;
  private stream: ChangeStream<E> | undefined;
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: ApiClient,
    readonly kind: RecordCollection,
    private readonly summarize: (entity: E) => S,
    /** The cluster's name, as the `cluster` filter of the list takes it. */
    readonly cluster: string,
    private readonly clusterOf: (summary: S) => string,
  ) {}

  onUpdate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    void this.load();
  }

  stop(): void {
    this.generation++;
    this.stream?.stop();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.stream?.stop();
    this.state = 'loading';
    this.notify();
    const items = new Map<string, S>();
    let revision = 0;
    let nextToken: string | undefined;
    try {
      do {
        const page = await this.api.listPage<E>(`v1/${this.kind}`, { cluster: this.cluster, limit: PAGE_SIZE, nextToken });
        if (generation !== this.generation) return;
        for (const item of page.items) {
          const summary = this.summarize(item.entity);
          items.set(summary.arn, summary);
        }
        revision = page.revision;
        nextToken = page.nextToken;
        // Shown while loading: a large store fills in page by page.
        if (!this.loaded) {
          this.items = items;
          this.notify();
        }
      } while (nextToken !== undefined);
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = error instanceof Error ? error.message : String(error);
      this.state = 'reconnecting';
      this.notify();
      // A page token that expired (410) or an api that went away: list again shortly.
      if (!(error instanceof ApiFailure) || error.status !== 401) setTimeout(() => generation === this.generation && void this.load(), 1000);
      return;
    }
    this.items = items;
    this.loaded = true;
    this.error = undefined;
    this.notify();
    this.stream = new ChangeStream<E>(this.api, this.kind, revision, {
      onItem: (item) => this.apply(item),
      onState: (state) => {
        this.state = state;
        this.notify();
      },
      onResync: () => void this.load(),
    });
    this.stream.start();
  }

  private apply(item: ListItem<E>): void {
    const summary = this.summarize(item.entity);
    if (this.clusterOf(summary) !== this.cluster) return;
    if (item.metadata.deleted === true) this.items.delete(summary.arn);
    else this.items.set(summary.arn, summary);
    this.notify();
  }
}
