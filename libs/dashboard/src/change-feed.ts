import type { ApiClient, ListItem } from './api-client';
import { ChangeStream, type StreamState } from './change-stream';
import type { LiveSummary } from './live-summary';
import { summarizeInstance, summarizeTask, type InstanceSummary, type TaskSummary } from './records';

export interface CollectionChange<S> {
  readonly summary: S;
  readonly deleted: boolean;
  readonly revision: number;
  readonly receivedAt: Date;
}

export type FeedChange = { readonly kind: 'task'; readonly change: CollectionChange<TaskSummary> } | { readonly kind: 'instance'; readonly change: CollectionChange<InstanceSummary> };

type Entity = Record<string, unknown>;

/**
 * Every change to tasks and instances, from the revision of the counts on: the
 * Recent changes feed, and the signal that the counts are out of date. Nothing
 * is kept here; the page holds no records for it.
 */
export class ChangeFeed {
  state: StreamState | 'loading' = 'loading';
  private streams: ChangeStream<Entity>[] = [];
  private readonly states = new Map<string, StreamState>();
  private generation = 0;
  private readonly listeners = new Set<(change: FeedChange) => void>();
  private readonly stateListeners = new Set<() => void>();

  constructor(
    private readonly api: ApiClient,
    private readonly summary: LiveSummary,
  ) {}

  onChange(listener: (change: FeedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  start(): void {
    void this.begin();
  }

  stop(): void {
    this.generation++;
    for (const stream of this.streams) stream.stop();
  }

  private setState(state: StreamState | 'loading'): void {
    this.state = state;
    for (const listener of this.stateListeners) listener();
  }

  /** Counts first, then both streams after their revision: no change falls between them. */
  private async begin(): Promise<void> {
    const generation = ++this.generation;
    for (const stream of this.streams) stream.stop();
    this.streams = [];
    this.states.clear();
    const counts = await this.summary.load();
    if (generation !== this.generation) return;
    if (counts === undefined) {
      this.setState('reconnecting');
      setTimeout(() => generation === this.generation && void this.begin(), 1000);
      return;
    }
    this.streams = (['tasks', 'instances'] as const).map((kind) => {
      const stream = new ChangeStream<Entity>(this.api, kind, counts.revision, {
        onItem: (item) => this.receive(kind, item),
        onState: (state) => {
          this.states.set(kind, state);
          const all = [...this.states.values()];
          this.setState(all.length === 2 && all.every((s) => s === 'live') ? 'live' : all.includes('reconnecting') ? 'reconnecting' : 'connecting');
        },
        onResync: () => generation === this.generation && void this.begin(),
      });
      stream.start();
      return stream;
    });
  }

  private receive(kind: 'tasks' | 'instances', item: ListItem<Entity>): void {
    const common = { deleted: item.metadata.deleted === true, revision: Number(item.metadata.entityVersion), receivedAt: new Date() };
    const change: FeedChange =
      kind === 'tasks' ? { kind: 'task', change: { ...common, summary: summarizeTask(item.entity) } } : { kind: 'instance', change: { ...common, summary: summarizeInstance(item.entity) } };
    for (const listener of this.listeners) listener(change);
    this.summary.changed();
  }
}
