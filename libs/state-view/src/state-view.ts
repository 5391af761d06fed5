import type { KeyPrefix, RecordKind, StateRecord } from '@ecs-state/domain';
import { composeView, type ViewParts } from './compose-view';
import { ViewNotReadyError } from './errors';
import type { ListQuery, ListResult } from './list-query';
import type { StateViewOptions } from './state-view-options';
import type { ChangeListener, EndListener, SubscribeFromOptions, ViewSubscription } from './subscription';
import type { ViewEntry } from './view-entry';
import type { ViewStatus } from './view-status';

/**
 * All tasks, container instances and services under one key prefix, held in memory and
 * kept current by a single etcd watch, as the Kubernetes API server's watch
 * cache does. Reads never touch etcd. Changes are applied and published to
 * subscribers in the same synchronous step, so a reader that lists and then
 * subscribes after the listed revision sees every later change exactly once.
 * The work is done by the parts composeView connects; this is their API.
 */
export class StateView<S = StateRecord> {
  private readonly parts: ViewParts<S>;
  private started = false;
  private stopped = false;

  constructor(private readonly options: StateViewOptions<S>) {
    this.parts = composeView(options);
  }

  /** Loads a snapshot and starts the watch; resolves once the view can answer. */
  async start(): Promise<void> {
    if (this.started || this.stopped) throw new Error('state view can be started once');
    await this.parts.reflector.start();
    this.started = true;
    this.parts.probe.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const { probe, reflector, replay, etcd, fanOut } = this.parts;
    probe.stop();
    await reflector.stop();
    replay.endAll('view_stopped');
    await etcd.close();
    fanOut.endAll('view_stopped');
  }

  /** The etcd revision the view reflects. */
  get revision(): number {
    return this.parts.store.revision;
  }

  get keyPrefix(): KeyPrefix {
    return this.options.prefix;
  }

  get(key: string): ViewEntry<S> | undefined {
    this.assertReady();
    return this.parts.store.get(key);
  }

  /**
   * Calls `visit` with every current entry of a kind, in no particular order,
   * in one synchronous step; returns the revision they reflect. For aggregates
   * (counts per cluster), where a keyed page walk would only add cost.
   */
  forEachEntry(kind: RecordKind, visit: (entry: ViewEntry<S>) => void): number {
    this.assertReady();
    const { store } = this.parts;
    for (const entry of store.values(kind)) visit(entry);
    return store.revision;
  }

  /** See ViewIndex.clusterArnsNamed. */
  clusterArnsNamed(name: string): readonly string[] {
    // A view that is not running knows no cluster: saying "none" would turn "not ready" into "not found".
    this.assertReady();
    return this.parts.store.clusterArnsNamed(name);
  }

  /**
   * One page of entries of a kind in key order, as of `atRevision` (default:
   * now). Past revisions are answered from the change history; older ones
   * raise RevisionUnavailableError.
   */
  list(query: ListQuery<S>): ListResult<S> {
    this.assertReady();
    const { store, history } = this.parts;
    const current = store.revision;
    const revision = query.atRevision ?? current;
    if (revision === current) return store.list(query, revision, new Map());
    history.check(revision, current);
    return store.list(query, revision, history.stateAt(revision));
  }

  /**
   * Delivers, in revision order, every change after `afterRevision`: first
   * those already in the history (synchronously, before this returns), then
   * each new batch as it is applied. Throws RevisionUnavailableError when the
   * history does not reach back that far or the revision is ahead of the view.
   */
  subscribe(afterRevision: number, listener: ChangeListener<S>, onEnd: EndListener): ViewSubscription {
    this.assertReady();
    const { store, history, fanOut } = this.parts;
    history.check(afterRevision, store.revision);
    return fanOut.add(listener, onEnd, history.since(afterRevision));
  }

  /**
   * Like `subscribe`, but a revision older than the in-memory history is
   * served by a dedicated etcd watch for this subscriber (EtcdReplay).
   * Rejects with RevisionUnavailableError when etcd has compacted that
   * revision too, and with StoreUnavailableError when etcd fails or does not
   * answer within `storeTimeoutMs`.
   */
  async subscribeFrom(afterRevision: number, listener: ChangeListener<S>, onEnd: EndListener, options: SubscribeFromOptions = {}): Promise<ViewSubscription> {
    this.assertReady();
    if (afterRevision > this.parts.store.revision || this.parts.history.covers(afterRevision)) {
      return this.subscribe(afterRevision, listener, onEnd);
    }
    return this.parts.replay.open(afterRevision, listener, onEnd, options.signal);
  }

  /** Whether `subscribe(afterRevision)` can be served from memory. */
  canServeFrom(afterRevision: number): boolean {
    return this.started && afterRevision <= this.parts.store.revision && this.parts.history.covers(afterRevision);
  }

  status(): ViewStatus {
    const { store, history, fanOut, reflector, probe } = this.parts;
    const { etcdReachable, stalenessMs, fresh } = probe.freshness();
    const running = this.started && !this.stopped;
    return {
      started: running,
      revision: store.revision,
      tasks: store.count('task'),
      instances: store.count('instance'),
      services: store.count('service'),
      historySize: history.size,
      historyCompleteAfter: history.completeAfter,
      subscribers: fanOut.size,
      etcdReachable,
      stalenessMs,
      inSync: running && !reflector.resyncing && fresh,
      resyncs: reflector.resyncs,
      lastEventAt: store.lastEventAt,
    };
  }

  private assertReady(): void {
    if (!this.started || this.stopped) throw new ViewNotReadyError('the state view is not running');
  }
}
