import type { ApiClient, ListItem } from './api-client';
import { readSse } from './sse-reader';
import type { RecordCollection } from './records';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface ChangeStreamHandlers<E> {
  onItem(item: ListItem<E>): void;
  onState(state: StreamState): void;
  /** The revision cannot be resumed from (compacted, or the api's view reloaded): list again. */
  onResync(): void;
}

/** Longest wait between two reconnection attempts: the page catches up soon after the api is back. */
const MAX_BACKOFF_MS = 2_000;

/**
 * One stream of changes (`/v1/stream/<kind>`, SSE, with tombstones) after a
 * revision. When the connection ends, however it ends, it connects again after
 * the last revision it completed, so a restart of the api loses nothing.
 */
export class ChangeStream<E> {
  private readonly abort = new AbortController();
  private revision: number;

  constructor(
    private readonly api: ApiClient,
    private readonly kind: RecordCollection,
    afterRevision: number,
    private readonly handlers: ChangeStreamHandlers<E>,
  ) {
    this.revision = afterRevision;
  }

  get lastRevision(): number {
    return this.revision;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.abort.abort();
  }

  private async run(): Promise<void> {
    let backoff = 250;
    this.handlers.onState('connecting');
    while (!this.abort.signal.aborted) {
      let resync = false;
      try {
        const response = await fetch(this.api.url(`v1/stream/${this.kind}`, { afterRevision: this.revision, tombstones: 'true' }), {
          headers: this.api.headers({ accept: 'text/event-stream' }),
          signal: this.abort.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          this.api.onUnauthorized();
          return;
        }
        // 400 here means the revision is out of range: nothing but a new list can follow it.
        if (response.status === 400) resync = true;
        else if (response.ok && response.body !== null) {
          this.handlers.onState('live');
          backoff = 250;
          await readSse(
            response.body,
            (event) => {
              if (event.event === 'end') {
                const end = JSON.parse(event.data) as { error?: { reason?: string; resumeAfterRevision?: string | number } };
                if (end.error?.reason === 'view_resync') resync = true;
                return;
              }
              this.handlers.onItem(JSON.parse(event.data) as ListItem<E>);
              // Only the last event of a revision carries its id: resuming after it never splits a revision.
              if (event.id !== undefined) this.revision = Number(event.id);
            },
            (comment) => {
              const heartbeat = /^heartbeat (\d+)$/.exec(comment);
              if (heartbeat?.[1] !== undefined) this.revision = Math.max(this.revision, Number(heartbeat[1]));
            },
          );
        }
      } catch {
        // Connection refused or dropped (the api restarting): try again below.
      }
      if (this.abort.signal.aborted) return;
      if (resync) {
        this.handlers.onResync();
        return;
      }
      this.handlers.onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, backoff));
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }
}
