import type { KeyPrefix, RecordKind, StateRecord } from '@ecs-state/domain';
import { parseKey } from '@ecs-state/domain';
import type { Etcd3 } from 'etcd3';
import {
  CompactedRevisionError,
  EtcdStoreError,
  VersionedRecordStore,
  WatchCanceledError,
  type StoredRecord,
  type WatchEvent,
  type WatchHandle,
} from '@ecs-state/etcd-store';
import { ChangeHistory } from './change-history';
import { RevisionUnavailableError, StoreUnavailableError, ViewNotReadyError } from './errors';
import type { ListQuery, ListResult } from './list-query';
import { compareKeys } from './sorted-keys';
import { createTolerantCodec, type DecodedRecord, type RecordProjection } from './tolerant-codec';
import { SyncTracker } from './sync-tracker';
import type { ViewChange, ViewEntry } from './view-entry';
import { ViewIndex } from './view-index';

export interface ViewLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface StateViewOptions<S = StateRecord> {
  readonly client: Etcd3;
  readonly prefix: KeyPrefix;
  /** Changes kept in memory for streams from a past revision and paged listings. */
  readonly historySize?: number;
  /** How often etcd's revision is probed to measure staleness. */
  readonly probeIntervalMs?: number;
  /** Staleness above which the view reports itself out of sync. */
  readonly maxStalenessMs?: number;
  /**
   * How long `subscribeFrom` may wait for etcd when it must open a watch of
   * its own (a start older than the history) before it gives up with
   * StoreUnavailableError. Pass the client's request timeout.
   */
  readonly storeTimeoutMs?: number;
  readonly logger?: ViewLogger;
  readonly now?: () => number;
  /**
   * What the view keeps of each record instead of the record (e.g. the response
   * bytes and the few fields filters read): fewer, smaller live objects make
   * garbage collection cheaper. Required unless `S` is StateRecord.
   */
  readonly project?: RecordProjection<S>;
}

export const STATE_VIEW_DEFAULTS = {
  historySize: 10_000,
  probeIntervalMs: 1_000,
  maxStalenessMs: 5_000,
  storeTimeoutMs: 10_000,
} as const;

/** Why a subscription ended. */
export type SubscriptionEndReason = 'view_resync' | 'view_stopped';

export interface ViewSubscription {
  close(): void;
}

export interface SubscribeFromOptions {
  /** The caller no longer wants the subscription (e.g. its client left): `subscribeFrom` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface ViewStatus {
  readonly started: boolean;
  readonly revision: number;
  readonly tasks: number;
  readonly instances: number;
  readonly historySize: number;
  /** Streams and listings can start after any revision at or above this one. */
  readonly historyCompleteAfter: number;
  readonly subscribers: number;
  readonly etcdReachable: boolean;
  /** Upper bound of how far behind etcd the view may be, in ms (see README). */
  readonly stalenessMs: number;
  /** Started, etcd reachable, and staleness within the bound. */
  readonly inSync: boolean;
  readonly resyncs: number;
  /** When the view last applied a watch event (ms since the epoch); its last load before the first; undefined before it loads. */
  readonly lastEventAt: number | undefined;
}

interface Subscriber<S> {
  readonly listener: (changes: readonly ViewChange<S>[]) => void;
  readonly onEnd: (reason: SubscriptionEndReason) => void;
}

const NOOP_LOGGER: ViewLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * All tasks and container instances under one key prefix, held in memory and
 * kept current by a single etcd watch, as the Kubernetes API server's watch
 * cache does. Reads never touch etcd. Changes are applied and published to
 * subscribers in the same synchronous step, so a reader that lists and then
 * subscribes after the listed revision sees every later change exactly once.
 */
export class StateView<S = StateRecord> {
  private readonly store: VersionedRecordStore<DecodedRecord<S>>;
  private readonly rootPrefix: string;
  private readonly index = new ViewIndex<S>();
  private history: ChangeHistory<S>;
  private readonly subscribers = new Set<Subscriber<S>>();
  private readonly storeSubscriptions = new Set<{ end(reason: SubscriptionEndReason): void }>();
  private readonly tracker: SyncTracker;
  private readonly logger: ViewLogger;
  private readonly now: () => number;
  private readonly probeIntervalMs: number;
  private readonly maxStalenessMs: number;
  private readonly storeTimeoutMs: number;
  private watch: WatchHandle | undefined;
  private pending: WatchEvent<DecodedRecord<S>>[] = [];
  private flushScheduled = false;
  private currentRevision = 0;
  private started = false;
  private stopped = false;
  private resyncing: Promise<void> | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private resyncCount = 0;
  private lastEventAt: number | undefined;

  constructor(private readonly options: StateViewOptions<S>) {
    this.rootPrefix = `${options.prefix}/`;
    this.store = new VersionedRecordStore({ client: options.client, codec: createTolerantCodec(options.prefix, options.project ?? ((record) => record as S)) });
    this.history = new ChangeHistory<S>(options.historySize ?? STATE_VIEW_DEFAULTS.historySize, 0);
    this.logger = options.logger ?? NOOP_LOGGER;
    this.now = options.now ?? Date.now;
    this.tracker = new SyncTracker(this.now);
    this.probeIntervalMs = options.probeIntervalMs ?? STATE_VIEW_DEFAULTS.probeIntervalMs;
    this.maxStalenessMs = options.maxStalenessMs ?? STATE_VIEW_DEFAULTS.maxStalenessMs;
    this.storeTimeoutMs = options.storeTimeoutMs ?? STATE_VIEW_DEFAULTS.storeTimeoutMs;
  }

  /** Loads a snapshot and starts the watch; resolves once the view can answer. */
  async start(): Promise<void> {
    if (this.started || this.stopped) throw new Error('state view can be started once');
    await this.load();
    this.started = true;
    this.probeTimer = setInterval(() => void this.probe(), this.probeIntervalMs);
    this.probeTimer.unref();
    void this.probe();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.probeTimer);
    const watch = this.watch;
    this.watch = undefined;
    await watch?.close();
    for (const subscription of [...this.storeSubscriptions]) subscription.end('view_stopped');
    await this.store.close();
    this.endSubscribers('view_stopped');
  }

  /** The etcd revision the view reflects. */
  get revision(): number {
    return this.currentRevision;
  }

  get keyPrefix(): KeyPrefix {
    return this.options.prefix;
  }

  get(key: string): ViewEntry<S> | undefined {
    this.assertReady();
    return this.index.get(key);
  }

  /**
   * Calls `visit` with every current entry of a kind, in no particular order,
   * in one synchronous step; returns the revision they reflect. For aggregates
   * (counts per cluster), where a keyed page walk would only add cost.
   */
  forEachEntry(kind: RecordKind, visit: (entry: ViewEntry<S>) => void): number {
    this.assertReady();
    for (const entry of this.index.values(kind)) visit(entry);
    return this.currentRevision;
  }

  /** See ViewIndex.clusterArnsNamed. */
  clusterArnsNamed(name: string): readonly string[] {
    return this.index.clusterArnsNamed(name);
  }

  /**
   * One page of entries of a kind in key order, as of `atRevision` (default:
   * now). Past revisions are answered from the change history; older ones
   * raise RevisionUnavailableError.
   */
  list(query: ListQuery<S>): ListResult<S> {
    this.assertReady();
    const revision = query.atRevision ?? this.currentRevision;
    const overlay = this.overlayAt(revision);
    const keys = this.index.keys(query.kind);
    const start = query.afterKey ?? query.keyPrefix ?? '';
    // Keys deleted after `revision` still belong to the listing at `revision`.
    const removed = [...overlay.entries()]
      .filter(([key, entry]) => entry !== null && entry.kind === query.kind && this.index.get(key) === undefined)
      .map(([key]) => key)
      .filter((key) => compareKeys(key, start) >= 0)
      .sort(compareKeys);
    let i = keys.lowerBound(start);
    let j = 0;
    const items: ViewEntry<S>[] = [];
    let lastKey: string | undefined;
    for (;;) {
      const current = keys.at(i);
      const gone = removed[j];
      let key: string;
      if (current === undefined && gone === undefined) break;
      if (gone === undefined || (current !== undefined && compareKeys(current, gone) < 0)) {
        key = current as string;
        i++;
      } else {
        key = gone;
        j++;
      }
      if (key === query.afterKey) continue;
      if (query.keyPrefix !== undefined && !key.startsWith(query.keyPrefix)) {
        if (compareKeys(key, query.keyPrefix) > 0) break;
        continue;
      }
      const entry = overlay.has(key) ? overlay.get(key) : this.index.get(key);
      if (entry === null || entry === undefined) continue;
      if (query.filter !== undefined && !query.filter(entry)) continue;
      if (items.length === query.limit) {
        lastKey = items[items.length - 1]?.key;
        break;
      }
      items.push(entry);
    }
    return { items, revision, ...(lastKey === undefined ? {} : { lastKey }) };
  }

  /**
   * Delivers, in revision order, every change after `afterRevision`: first
   * those already in the history (synchronously, before this returns), then
   * each new batch as it is applied. Throws RevisionUnavailableError when the
   * history does not reach back that far or the revision is ahead of the view.
   */
  subscribe(
    afterRevision: number,
    listener: (changes: readonly ViewChange<S>[]) => void,
    onEnd: (reason: SubscriptionEndReason) => void,
  ): ViewSubscription {
    this.assertReady();
    this.assertServable(afterRevision);
    const backlog = this.history.since(afterRevision);
    const subscriber: Subscriber<S> = { listener, onEnd };
    this.subscribers.add(subscriber);
    if (backlog.length > 0) listener(backlog);
    return { close: () => void this.subscribers.delete(subscriber) };
  }

  /**
   * Like `subscribe`, but a revision older than the in-memory history is
   * served by a dedicated etcd watch for this subscriber (it never hands over
   * to the shared feed). Rejects with RevisionUnavailableError when etcd has
   * compacted that revision too, and with StoreUnavailableError when etcd
   * fails or does not answer within `storeTimeoutMs`.
   */
  async subscribeFrom(
    afterRevision: number,
    listener: (changes: readonly ViewChange<S>[]) => void,
    onEnd: (reason: SubscriptionEndReason) => void,
    options: SubscribeFromOptions = {},
  ): Promise<ViewSubscription> {
    this.assertReady();
    if (afterRevision > this.currentRevision || this.history.covers(afterRevision)) {
      return this.subscribe(afterRevision, listener, onEnd);
    }
    let batch: ViewChange<S>[] = [];
    let ended = false;
    const finish = (reason: SubscriptionEndReason) => {
      if (ended) return;
      ended = true;
      this.storeSubscriptions.delete(entry);
      void handle?.close();
      onEnd(reason);
    };
    const entry = { end: finish };
    let handle: WatchHandle | undefined;
    const deadline = AbortSignal.timeout(this.storeTimeoutMs);
    const caller = options.signal;
    try {
      handle = await this.store.watch(this.rootPrefix, {
        signal: caller === undefined ? deadline : AbortSignal.any([caller, deadline]),
        fromRevision: afterRevision + 1,
        onEvent: (event) => {
          const change = this.toStoreChange(event);
          if (change === null) return;
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
      if (caller?.aborted) throw caller.reason;
      if (error instanceof CompactedRevisionError) {
        throw new RevisionUnavailableError(afterRevision, 'too_old', error.compactRevision ?? this.history.completeAfter, this.currentRevision);
      }
      if (deadline.aborted) throw new StoreUnavailableError(`etcd did not answer within ${this.storeTimeoutMs} ms`);
      // The store's own errors are deliberate answers; anything else came from the etcd client (unreachable, breaker open, …).
      if (error instanceof EtcdStoreError) throw error;
      throw new StoreUnavailableError(`etcd failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    this.storeSubscriptions.add(entry);
    return { close: () => {
      ended = true;
      this.storeSubscriptions.delete(entry);
      void handle?.close();
    } };
  }

  /** Whether `subscribe(afterRevision)` can be served from memory. */
  canServeFrom(afterRevision: number): boolean {
    return this.started && afterRevision <= this.currentRevision && this.history.covers(afterRevision);
  }

  /** The underlying store, for the rare stream that must start before the history (a dedicated etcd watch). */
  recordStore(): VersionedRecordStore<DecodedRecord<S>> {
    return this.store;
  }

  status(): ViewStatus {
    const sinceProbe = this.tracker.sinceLastProbeMs();
    const etcdReachable = sinceProbe !== undefined && sinceProbe <= Math.max(3 * this.probeIntervalMs, this.maxStalenessMs);
    const stalenessMs = sinceProbe === undefined ? Number.POSITIVE_INFINITY : Math.max(this.tracker.stalenessMs(), etcdReachable ? 0 : sinceProbe);
    return {
      started: this.started && !this.stopped,
      revision: this.currentRevision,
      tasks: this.index.count('task'),
      instances: this.index.count('instance'),
      historySize: this.history.size,
      historyCompleteAfter: this.history.completeAfter,
      subscribers: this.subscribers.size,
      etcdReachable,
      stalenessMs,
      inSync: this.started && !this.stopped && !this.resyncing && etcdReachable && stalenessMs <= this.maxStalenessMs,
      resyncs: this.resyncCount,
      lastEventAt: this.lastEventAt,
    };
  }

  private assertReady(): void {
    if (!this.started || this.stopped) throw new ViewNotReadyError('the state view is not running');
  }

  private assertServable(afterRevision: number): void {
    if (afterRevision > this.currentRevision) {
      throw new RevisionUnavailableError(afterRevision, 'in_future', this.history.completeAfter, this.currentRevision);
    }
    if (!this.history.covers(afterRevision)) {
      throw new RevisionUnavailableError(afterRevision, 'too_old', this.history.completeAfter, this.currentRevision);
    }
  }

  private overlayAt(revision: number): Map<string, ViewEntry<S> | null> {
    if (revision === this.currentRevision) return new Map();
    this.assertServable(revision);
    return this.history.stateAt(revision);
  }

  private async load(): Promise<void> {
    const snapshot = await this.store.snapshot(this.rootPrefix);
    const entries: ViewEntry<S>[] = [];
    for (const item of snapshot.items) {
      const entry = this.toEntry(item);
      if (entry !== null) entries.push(entry);
    }
    this.index.reset(entries);
    this.history = new ChangeHistory<S>(this.history.capacity, snapshot.revision);
    this.currentRevision = snapshot.revision;
    this.tracker.advanced(snapshot.revision);
    this.lastEventAt = this.now();
    this.watch = await this.store.watch(this.rootPrefix, {
      fromRevision: snapshot.revision + 1,
      onEvent: (event) => this.enqueue(event),
      onError: (error) => this.onWatchError(error),
      onDisconnected: (error) => this.logger.warn('state view lost its etcd watch; reconnecting', { error: error.message }),
    });
    this.logger.info('state view loaded', { revision: snapshot.revision, tasks: this.index.count('task'), instances: this.index.count('instance') });
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
    if (this.stopped || this.resyncing) return;
    if (events.length > 0) this.lastEventAt = this.now();
    const changes: ViewChange<S>[] = [];
    for (const event of events) {
      const change = this.apply(event);
      if (change !== null) {
        changes.push(change);
        this.history.push(change);
      }
      const revision = event.type === 'put' ? event.modRevision : event.revision;
      if (revision > this.currentRevision) this.currentRevision = revision;
    }
    this.tracker.advanced(this.currentRevision);
    if (changes.length === 0) return;
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber.listener(changes);
      } catch (error) {
        this.logger.error('state view subscriber failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  private apply(event: WatchEvent<DecodedRecord<S>>): ViewChange<S> | null {
    if (event.type === 'delete') {
      const previous = this.index.remove(event.key);
      if (previous === null) return null;
      return { type: 'delete', key: event.key, kind: previous.kind, revision: event.revision, entry: null, previous };
    }
    const entry = this.toEntry(event);
    if (entry === null) {
      // A value the view cannot serve replaces what was there: it is no longer that record.
      const previous = this.index.remove(event.key);
      if (previous === null) return null;
      return { type: 'delete', key: event.key, kind: previous.kind, revision: event.modRevision, entry: null, previous };
    }
    const previous = this.index.put(entry);
    return { type: 'put', key: entry.key, kind: entry.kind, revision: entry.modRevision, entry, previous };
  }

  private toEntry(stored: Pick<StoredRecord<DecodedRecord<S>>, 'key' | 'record' | 'modRevision'>): ViewEntry<S> | null {
    const decoded = stored.record;
    const location = parseKey(this.options.prefix, stored.key);
    if (!decoded.ok || location === null) {
      this.logger.warn('state view skips a value it cannot decode', { key: stored.key, error: decoded.ok ? 'unknown key' : decoded.error });
      return null;
    }
    // The codec checked that the record's kind is the one its key names.
    return { key: stored.key, kind: location.kind, state: decoded.state, location, modRevision: stored.modRevision };
  }

  private toStoreChange(event: WatchEvent<DecodedRecord<S>>): ViewChange<S> | null {
    if (event.type === 'put') {
      const entry = this.toEntry(event);
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

  private onWatchError(error: Error): void {
    if (error instanceof CompactedRevisionError || error instanceof WatchCanceledError) {
      this.logger.warn('state view watch ended; reloading', { error: error.message });
      void this.resync();
      return;
    }
    this.logger.warn('state view watch reported an error', { error: error.message });
  }

  /** Reloads from a fresh snapshot; subscribers cannot follow across the gap and are ended. */
  private async resync(): Promise<void> {
    if (this.resyncing || this.stopped) return;
    this.resyncCount++;
    this.resyncing = (async () => {
      const old = this.watch;
      this.watch = undefined;
      await old?.close().catch(() => undefined);
      this.endSubscribers('view_resync');
      this.pending = [];
      for (;;) {
        if (this.stopped) return;
        try {
          await this.load();
          return;
        } catch (error) {
          this.logger.error('state view reload failed; retrying', { error: error instanceof Error ? error.message : String(error) });
          await new Promise((resolve) => setTimeout(resolve, this.probeIntervalMs).unref());
        }
      }
    })();
    try {
      await this.resyncing;
    } finally {
      this.resyncing = undefined;
    }
  }

  private endSubscribers(reason: SubscriptionEndReason): void {
    const all = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of all) {
      try {
        subscriber.onEnd(reason);
      } catch (error) {
        this.logger.error('state view subscriber failed to end', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  /**
   * Asks etcd for its revision; when the view has not reached it after half the
   * staleness bound, checks whether anything under the prefix actually changed
   * after the view's revision (writes elsewhere in etcd also move the revision).
   */
  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    try {
      const at = this.now();
      const revision = await this.store.currentRevision();
      if (this.pending.length === 0 && this.watch !== undefined) {
        const progressed = this.watch.lastRevision();
        if (progressed > this.currentRevision) this.currentRevision = progressed;
      }
      this.tracker.probed(revision, at, this.currentRevision);
      const oldest = this.tracker.oldestPending();
      if (oldest !== undefined && this.now() - oldest.at >= this.maxStalenessMs / 2) {
        const since = await this.store.modifiedSince(this.rootPrefix, this.currentRevision);
        if (!since.modified) this.tracker.confirmed(since.revision);
      }
    } catch (error) {
      this.logger.warn('state view probe of etcd failed', { error: error instanceof Error ? error.message : String(error) });
    } finally {
      this.probing = false;
    }
  }
}
