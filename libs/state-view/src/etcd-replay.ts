import type { KeyPrefix, StateRecord } from '@ecs-state/domain';
import { parseKey } from '@ecs-state/domain';
import {
  CompactedRevisionError,
  EtcdStoreError,
  WatchCanceledError,
  type VersionedRecordStore,
  type WatchEvent,
  type WatchHandle,
} from '@ecs-state/etcd-store';
import type { DecodeEntry } from './entry-decoder';
import { RevisionUnavailableError, StoreUnavailableError } from './errors';
import type { ChangeListener, EndListener, SubscriptionEndReason, ViewSubscription } from './subscription';
import type { DecodedRecord } from './tolerant-codec';
import type { ViewChange } from './view-entry';
import { errorMessage } from './view-logger';

export interface EtcdReplayOptions<S> {
  readonly etcd: VersionedRecordStore<DecodedRecord<S>>;
  readonly prefix: KeyPrefix;
  readonly decode: DecodeEntry<S>;
  /** How long etcd may take to accept the watch. */
  readonly timeoutMs: number;
  /** Where the view stands, for the error that refuses a compacted revision. */
  readonly position: () => { readonly oldestAvailable: number; readonly current: number };
}

/**
 * Serves a subscription that starts before the view's history with a watch of
 * its own from etcd. It never hands over to the shared feed: it runs until
 * the subscriber closes it, etcd ends it, or the view stops.
 */
export class EtcdReplay<S = StateRecord> {
  private readonly running = new Set<{ end(reason: SubscriptionEndReason): void }>();

  constructor(private readonly options: EtcdReplayOptions<S>) {}

  async open(afterRevision: number, listener: ChangeListener<S>, onEnd: EndListener, signal?: AbortSignal): Promise<ViewSubscription> {
    const { etcd, timeoutMs } = this.options;
    let batch: ViewChange<S>[] = [];
    let ended = false;
    const finish = (reason: SubscriptionEndReason) => {
      if (ended) return;
      ended = true;
      this.running.delete(entry);
      void handle?.close();
      onEnd(reason);
    };
    const entry = { end: finish };
    let handle: WatchHandle | undefined;
    const deadline = AbortSignal.timeout(timeoutMs);
    try {
      handle = await etcd.watch(`${this.options.prefix}/`, {
        signal: signal === undefined ? deadline : AbortSignal.any([signal, deadline]),
        fromRevision: afterRevision + 1,
        onEvent: (event) => {
          const change = this.toChange(event);
          if (change === null) return;
          // Events of one etcd response arrive synchronously: one batch per response, as the shared feed delivers.
          if (batch.length === 0) {
            queueMicrotask(() => {
              const changes = batch;
              batch = [];
              if (!ended) listener(changes);
            });
          }
          batch.push(change);
        },
        onError: (error) => {
          if (error instanceof CompactedRevisionError || error instanceof WatchCanceledError) finish('view_resync');
        },
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof CompactedRevisionError) {
        const { oldestAvailable, current } = this.options.position();
        throw new RevisionUnavailableError(afterRevision, 'too_old', error.compactRevision ?? oldestAvailable, current);
      }
      if (deadline.aborted) throw new StoreUnavailableError(`etcd did not answer within ${timeoutMs} ms`);
      // The store's own errors are deliberate answers; anything else came from the etcd client (unreachable, breaker open, …).
      if (error instanceof EtcdStoreError) throw error;
      throw new StoreUnavailableError(`etcd failed: ${errorMessage(error)}`, { cause: error });
    }
    this.running.add(entry);
    return {
      close: () => {
        ended = true;
        this.running.delete(entry);
        void handle?.close();
      },
    };
  }

  /** Ends every replay still running. */
  endAll(reason: SubscriptionEndReason): void {
    for (const replay of [...this.running]) replay.end(reason);
  }

  /** The previous entry of a delete comes from etcd's prev_kv; a put's previous entry is unknown here. */
  private toChange(event: WatchEvent<DecodedRecord<S>>): ViewChange<S> | null {
    if (event.type === 'put') {
      const entry = this.options.decode(event);
      return entry === null ? null : { type: 'put', key: entry.key, kind: entry.kind, revision: entry.modRevision, entry, previous: null };
    }
    const location = parseKey(this.options.prefix, event.key);
    if (location === null) return null;
    const previous =
      event.previous !== undefined && event.previous.ok
        ? { key: event.key, kind: location.kind, state: event.previous.state, location, modRevision: 0 }
        : null;
    return { type: 'delete', key: event.key, kind: location.kind, revision: event.revision, entry: null, previous };
  }
}
