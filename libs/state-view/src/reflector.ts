import { CompactedRevisionError, WatchCanceledError, type VersionedRecordStore, type WatchEvent, type WatchHandle } from '@ecs-state/etcd-store';
import type { DecodeEntry } from './entry-decoder';
import { loadSnapshot, type LoadedSnapshot } from './snapshot-loader';
import type { DecodedRecord } from './tolerant-codec';
import { errorMessage, type ViewLogger } from './view-logger';

/** Where the reflector delivers what it reads from etcd. */
export interface ReflectorSink<S> {
  /** A snapshot replaces everything held before (the first load and every reload). */
  replace(snapshot: LoadedSnapshot<S>): void;
  /** Watch events of whole revisions, in revision order. */
  apply(events: WatchEvent<DecodedRecord<S>>[]): void;
  /** The watch lost continuity; called before the reload. */
  gap(): void;
  /** For the log line of a load. */
  counts(): { readonly tasks: number; readonly instances: number; readonly services: number };
}

export interface ReflectorOptions<S> {
  readonly etcd: VersionedRecordStore<DecodedRecord<S>>;
  readonly rootPrefix: string;
  readonly decode: DecodeEntry<S>;
  readonly logger: ViewLogger;
  /** Pause between failed reloads. */
  readonly retryDelayMs: number;
  readonly sink: ReflectorSink<S>;
}

/**
 * Lists the prefix, then watches it from the listed revision, and lists again
 * when the watch cannot continue (compaction past it, a canceled watch), as
 * client-go's reflector does.
 */
export class Reflector<S> {
  private watch: WatchHandle | undefined;
  private pending: WatchEvent<DecodedRecord<S>>[] = [];
  private flushScheduled = false;
  private stopped = false;
  private reloading: Promise<void> | undefined;
  private reloads = 0;

  constructor(private readonly options: ReflectorOptions<S>) {}

  /** Resolves once the first snapshot is delivered and the watch runs. */
  start(): Promise<void> {
    return this.load();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const watch = this.watch;
    this.watch = undefined;
    await watch?.close();
  }

  get resyncing(): boolean {
    return this.reloading !== undefined;
  }

  get resyncs(): number {
    return this.reloads;
  }

  /** The revision the watch has confirmed every change up to, when no event waits to be applied. */
  settledRevision(): number | undefined {
    return this.pending.length === 0 && this.watch !== undefined ? this.watch.lastRevision() : undefined;
  }

  private async load(): Promise<void> {
    const { etcd, rootPrefix, sink } = this.options;
    const snapshot = await loadSnapshot(etcd, rootPrefix, this.options.decode);
    sink.replace(snapshot);
    this.watch = await etcd.watch(rootPrefix, {
      fromRevision: snapshot.revision + 1,
      onEvent: (event) => this.enqueue(event),
      onError: (error) => this.onWatchError(error),
      onDisconnected: (error) => this.options.logger.warn('state view lost its etcd watch; reconnecting', { error: error.message }),
    });
    this.options.logger.info('state view loaded', { revision: snapshot.revision, ...sink.counts() });
  }

  private enqueue(event: WatchEvent<DecodedRecord<S>>): void {
    this.pending.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // etcd delivers one revision whole within one response, and the watch hands
    // a response's events over synchronously, so flushing after the current
    // task applies whole revisions only.
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const events = this.pending;
    this.pending = [];
    if (this.stopped || this.reloading) return;
    this.options.sink.apply(events);
  }

  private onWatchError(error: Error): void {
    if (error instanceof CompactedRevisionError || error instanceof WatchCanceledError) {
      this.options.logger.warn('state view watch ended; reloading', { error: error.message });
      void this.resync();
      return;
    }
    this.options.logger.warn('state view watch reported an error', { error: error.message });
  }

  private async resync(): Promise<void> {
    if (this.reloading || this.stopped) return;
    this.reloads++;
    this.reloading = (async () => {
      const old = this.watch;
      this.watch = undefined;
      await old?.close().catch(() => undefined);
      this.options.sink.gap();
      this.pending = [];
      for (;;) {
        if (this.stopped) return;
        try {
          await this.load();
          return;
        } catch (error) {
          this.options.logger.error('state view reload failed; retrying', { error: errorMessage(error) });
          await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs).unref());
        }
      }
    })();
    try {
      await this.reloading;
    } finally {
      this.reloading = undefined;
    }
  }
}
