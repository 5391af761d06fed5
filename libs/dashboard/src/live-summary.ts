import type { ApiClient } from './api-client';

export interface ClusterCounts {
  readonly name: string;
  readonly arn: string;
  readonly instances: { readonly total: number; readonly byStatus: Record<string, number>; readonly agentConnected: number; readonly agentDisconnected: number };
  readonly tasks: { readonly total: number; readonly byLastStatus: Record<string, number>; readonly byLaunchType: Record<string, Record<string, number>> };
}

export interface StoreCounts {
  readonly revision: number;
  readonly clusters: readonly ClusterCounts[];
}

/** Refreshes at most this often, however many changes the streams report. */
const MIN_REFRESH_MS = 1000;

/**
 * The counts per cluster (`GET /v1/summary`), fetched again after the streams
 * report changes, at most once a second: no task records reach the page for them.
 */
export class LiveSummary {
  counts: StoreCounts | undefined;
  error: string | undefined;
  private readonly listeners = new Set<() => void>();
  private inFlight: Promise<StoreCounts | undefined> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFetch = 0;

  constructor(private readonly api: ApiClient) {}

  onUpdate(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches now; resolves with the counts, or undefined when the API did not answer. */
  load(): Promise<StoreCounts | undefined> {
    this.inFlight ??= this.fetch().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** Something changed: fetch again soon. */
  changed(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFetch + MIN_REFRESH_MS - performance.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // A fetch already under way may have read the store before this change: fetch after it.
      void (this.inFlight ?? Promise.resolve()).then(() => this.load());
    }, wait);
  }

  private async fetch(): Promise<StoreCounts | undefined> {
    this.lastFetch = performance.now();
    try {
      const body = await this.api.getJson<{ revision: string; clusters: ClusterCounts[] }>('v1/summary');
      this.counts = { revision: Number(body.revision), clusters: body.clusters };
      this.error = undefined;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    }
    for (const listener of this.listeners) listener();
    return this.error === undefined ? this.counts : undefined;
  }
}
