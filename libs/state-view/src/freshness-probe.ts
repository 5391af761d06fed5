import type { VersionedRecordStore } from '@ecs-state/etcd-store';
import { SyncTracker } from './sync-tracker';
import { errorMessage, type ViewLogger } from './view-logger';

export interface FreshnessProbeOptions {
  readonly etcd: Pick<VersionedRecordStore<unknown>, 'currentRevision' | 'modifiedSince'>;
  readonly rootPrefix: string;
  readonly intervalMs: number;
  /** Staleness above which the view is out of sync. */
  readonly maxStalenessMs: number;
  readonly now: () => number;
  readonly logger: ViewLogger;
  /** Takes up the watch's confirmed progress; returns the view's revision. */
  readonly catchUp: () => number;
}

export interface Freshness {
  readonly etcdReachable: boolean;
  /** Upper bound of how far behind etcd the view may be, in ms. */
  readonly stalenessMs: number;
  /** etcd reachable and staleness within the bound. */
  readonly fresh: boolean;
}

/**
 * Measures how far the view may lag etcd by asking etcd for its revision at a
 * fixed interval (see SyncTracker). A watch that stalls without an error
 * shows up here, and nowhere else.
 */
export class FreshnessProbe {
  private readonly tracker: SyncTracker;
  private timer: NodeJS.Timeout | undefined;
  private probing = false;
  private stopped = false;

  constructor(private readonly options: FreshnessProbeOptions) {
    this.tracker = new SyncTracker(options.now);
  }

  start(): void {
    this.timer = setInterval(() => void this.probe(), this.options.intervalMs);
    this.timer.unref();
    void this.probe();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** The view reached `revision`. */
  advanced(revision: number): void {
    this.tracker.advanced(revision);
  }

  freshness(): Freshness {
    const { intervalMs, maxStalenessMs } = this.options;
    const sinceProbe = this.tracker.sinceLastProbeMs();
    const etcdReachable = sinceProbe !== undefined && sinceProbe <= Math.max(3 * intervalMs, maxStalenessMs);
    const stalenessMs = sinceProbe === undefined ? Number.POSITIVE_INFINITY : Math.max(this.tracker.stalenessMs(), etcdReachable ? 0 : sinceProbe);
    return { etcdReachable, stalenessMs, fresh: etcdReachable && stalenessMs <= maxStalenessMs };
  }

  /**
   * Asks etcd for its revision; when the view has not reached it after half the
   * staleness bound, checks whether anything under the prefix actually changed
   * after the view's revision (writes elsewhere in etcd also move the revision).
   */
  private async probe(): Promise<void> {
    if (this.probing || this.stopped) return;
    this.probing = true;
    const { etcd, now } = this.options;
    try {
      const at = now();
      const revision = await etcd.currentRevision();
      const viewRevision = this.options.catchUp();
      this.tracker.probed(revision, at, viewRevision);
      const oldest = this.tracker.oldestPending();
      if (oldest !== undefined && now() - oldest.at >= this.options.maxStalenessMs / 2) {
        const since = await etcd.modifiedSince(this.options.rootPrefix, viewRevision);
        if (!since.modified) this.tracker.confirmed(since.revision);
      }
    } catch (error) {
      this.options.logger.warn('state view probe of etcd failed', { error: errorMessage(error) });
    } finally {
      this.probing = false;
    }
  }
}
