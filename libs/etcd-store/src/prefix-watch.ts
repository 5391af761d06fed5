import type { Etcd3, IDuplexStream, IEvent, IWatchRequest, IWatchResponse } from 'etcd3';
import type { RecordCodec } from './codec';
import { endWatchStream } from './end-watch-stream';
import { CompactedRevisionError, EtcdStoreError, RecordDecodeError, WatchCanceledError } from './errors';
import { prefixRangeEnd } from './key-range';
import { toStoredRecord } from './list-snapshot';
import { toRevision } from './revision';

export type WatchEvent<R> =
  | {
      readonly type: 'put';
      readonly key: string;
      readonly record: R;
      readonly modRevision: number;
      readonly createRevision: number;
    }
  | {
      readonly type: 'delete';
      readonly key: string;
      /** The revision of the delete. */
      readonly revision: number;
      /** The record as it was before the delete, when etcd still had it. */
      readonly previous?: R;
    };

export interface WatchOptions<R> {
  /** First revision to deliver; default: the revision after the current one. */
  readonly fromRevision?: number;
  /** Called in revision order, exactly once per event. */
  onEvent(event: WatchEvent<R>): void;
  /**
   * CompactedRevisionError and WatchCanceledError end the watch. A
   * RecordDecodeError, or an error thrown by onEvent, is reported and the
   * watch goes on.
   */
  onError(error: Error): void;
  /** Connection to etcd lost; the watch reconnects and resumes by itself. */
  onDisconnected?(error: Error): void;
  /**
   * Gives up starting: `watch()` rejects with the signal's reason and leaves
   * nothing behind (no reconnect loop). Once the watch has started the signal
   * is ignored; close the handle instead.
   */
  readonly signal?: AbortSignal;
}

export interface WatchHandle {
  /** Revision of the last event (or progress notice) delivered; resume point minus one. */
  lastRevision(): number;
  close(): Promise<void>;
}

const RECONNECT_BASE_MS = 100;
const RECONNECT_MAX_MS = 2000;

/**
 * A watch on one prefix that survives etcd restarts and lost connections.
 *
 * It runs its own gRPC watch stream instead of the client's Watcher because
 * resuming must start right after the last event actually delivered; the
 * Watcher resumes from the latest response header, which can be ahead of the
 * events it has delivered (etcd batches catch-up events). After a reconnect,
 * events at or below the last delivered revision are dropped, so none is
 * delivered twice. etcd never splits one revision across responses, so
 * revision-level dedupe is exact.
 */
export class PrefixWatch<R> implements WatchHandle {
  private stream: IDuplexStream<IWatchRequest, IWatchResponse> | undefined;
  private closed = false;
  private delivered: number;
  private attempt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private startWaiter: { resolve(): void; reject(error: Error): void } | undefined;
  private readonly keyBytes: Buffer;
  private readonly rangeEnd: Buffer;

  constructor(
    private readonly client: Etcd3,
    private readonly codec: RecordCodec<R>,
    private readonly prefix: string,
    fromRevision: number,
    private readonly options: WatchOptions<R>,
  ) {
    this.delivered = fromRevision - 1;
    this.keyBytes = Buffer.from(prefix);
    this.rangeEnd = prefixRangeEnd(this.keyBytes);
  }

  /** Resolves once etcd has accepted the watch. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.startWaiter = { resolve, reject };
      void this.connect();
    });
  }

  lastRevision(): number {
    return this.delivered;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const stream = this.stream;
    this.stream = undefined;
    if (stream) endWatchStream(stream);
    this.startWaiter?.reject(new EtcdStoreError('watch closed before it started'));
    this.startWaiter = undefined;
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let stream: IDuplexStream<IWatchRequest, IWatchResponse>;
    try {
      stream = await this.client.watchClient.watch();
    } catch (error) {
      this.lost(error);
      return;
    }
    if (this.closed) {
      endWatchStream(stream);
      return;
    }
    this.stream = stream;
    stream.on('data', (res: IWatchResponse) => {
      if (stream === this.stream) this.onResponse(res);
    });
    stream.on('error', (error: Error) => {
      if (stream === this.stream) this.lost(error);
    });
    stream.on('end', () => {
      if (stream === this.stream) this.lost(new EtcdStoreError('watch stream ended'));
    });
    stream.write({
      create_request: {
        key: this.keyBytes,
        range_end: this.rangeEnd,
        start_revision: this.delivered + 1,
        prev_kv: true,
        progress_notify: true,
      },
    });
  }

  private lost(error: unknown): void {
    const stream = this.stream;
    this.stream = undefined;
    if (stream) endWatchStream(stream);
    if (this.closed) return;
    this.options.onDisconnected?.(error instanceof Error ? error : new Error(String(error)));
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.attempt) * (0.5 + Math.random() / 2);
    this.attempt++;
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
  }

  private fail(error: Error): void {
    const waiter = this.startWaiter;
    this.startWaiter = undefined;
    void this.close();
    if (waiter) waiter.reject(error);
    else this.options.onError(error);
  }

  private onResponse(res: IWatchResponse): void {
    const compact = Number(res.compact_revision || 0);
    if (compact > 0) {
      this.fail(new CompactedRevisionError(this.delivered + 1, compact));
      return;
    }
    if (res.canceled) {
      this.fail(new WatchCanceledError(this.prefix, res.cancel_reason));
      return;
    }
    if (res.created) {
      this.attempt = 0;
      const waiter = this.startWaiter;
      // Waiter is cleared before resolving so a later close() cannot reject it.
      this.startWaiter = undefined;
      waiter?.resolve();
    }
    const events = res.events ?? [];
    if (events.length === 0) {
      // A progress notice: etcd sends these only to watchers that have caught
      // up, so every change up to the header revision has been delivered.
      if (!res.created) this.delivered = Math.max(this.delivered, toRevision(res.header.revision));
      return;
    }
    const already = this.delivered;
    for (const event of events) {
      const revision = toRevision(event.kv.mod_revision);
      if (revision <= already) continue;
      this.deliver(event, revision);
      this.delivered = Math.max(this.delivered, revision);
      if (this.closed) return;
    }
  }

  private deliver(event: IEvent, revision: number): void {
    try {
      if (event.type === 'Put') {
        const stored = toStoredRecord(this.codec, event.kv);
        this.options.onEvent({ type: 'put', ...stored });
      } else {
        const previous = event.prev_kv ? this.decodePrevious(event) : undefined;
        this.options.onEvent({
          type: 'delete',
          key: event.kv.key.toString(),
          revision,
          ...(previous === undefined ? {} : { previous }),
        });
      }
    } catch (error) {
      this.options.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private decodePrevious(event: IEvent): R | undefined {
    try {
      return this.codec.decode(event.prev_kv.key.toString(), event.prev_kv.value);
    } catch (error) {
      this.options.onError(new RecordDecodeError(event.prev_kv.key.toString(), error));
      return undefined;
    }
  }
}
