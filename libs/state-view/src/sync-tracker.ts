/**
 * Measures how far the view may be behind etcd. A probe records etcd's
 * revision H at time t; the probe is settled once the view has reached H (or
 * has been shown to hold every change of its prefix up to H). Staleness is the
 * age of the oldest unsettled probe, so it stays near zero while the watch
 * keeps up, and grows when the watch stalls or etcd cannot be reached.
 */
export class SyncTracker {
  private readonly pending: { revision: number; at: number }[] = [];
  private lastProbeOkAt: number | undefined;

  constructor(
    private readonly now: () => number,
    private readonly maxPending = 64,
  ) {}

  /** A successful probe saw etcd at `revision`, asked at time `at`. */
  probed(revision: number, at: number, viewRevision: number): void {
    this.lastProbeOkAt = this.now();
    if (revision <= viewRevision) return;
    if (this.pending.length >= this.maxPending) this.pending.splice(1, 1);
    this.pending.push({ revision, at });
  }

  /** The view reached `viewRevision`: probes up to it are settled. */
  advanced(viewRevision: number): void {
    while (this.pending.length > 0 && (this.pending[0] as { revision: number }).revision <= viewRevision) this.pending.shift();
  }

  /** etcd confirmed that nothing under the prefix changed after the view's revision, as of `revision`. */
  confirmed(revision: number): void {
    this.advanced(revision);
  }

  /** The oldest unsettled probe, if any. */
  oldestPending(): { revision: number; at: number } | undefined {
    return this.pending[0];
  }

  stalenessMs(): number {
    const oldest = this.pending[0];
    return oldest === undefined ? 0 : Math.max(0, this.now() - oldest.at);
  }

  /** Milliseconds since the last successful probe; undefined before the first. */
  sinceLastProbeMs(): number | undefined {
    return this.lastProbeOkAt === undefined ? undefined : this.now() - this.lastProbeOkAt;
  }
}
