import { EtcdLeaseInvalidError, type Etcd3, type Lease } from 'etcd3';

export interface LeaseSessionOptions {
  client: Etcd3;
  ttlSeconds: number;
  /** Called once when the session can no longer be trusted to hold its keys. */
  onLost?: (reason: string) => void;
  now?: () => number;
}

/**
 * One etcd lease, renewed every third of its TTL, that a replica attaches its
 * keys to: when the replica dies, etcd deletes them after the TTL and others
 * take over. `validUntil` is counted from when each renewal was *sent*, which is
 * no later than etcd's own expiry, so `holds()` turns false before another
 * replica can have taken the keys over.
 */
export class LeaseSession {
  private validUntilMs: number;
  private lostReason: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  private constructor(
    private readonly lease: Lease,
    readonly id: string,
    private readonly options: LeaseSessionOptions,
    grantedSentAt: number,
  ) {
    this.now = options.now ?? Date.now;
    this.validUntilMs = grantedSentAt + options.ttlSeconds * 1000;
    this.schedule();
  }

  static async open(options: LeaseSessionOptions): Promise<LeaseSession> {
    const now = options.now ?? Date.now;
    const sentAt = now();
    const lease = options.client.lease(options.ttlSeconds, { autoKeepAlive: false });
    lease.on('lost', () => undefined);
    const id = await lease.grant();
    return new LeaseSession(lease, id, options, sentAt);
  }

  get validUntil(): number {
    return this.validUntilMs;
  }

  /** True while the keys attached to the lease are surely still this session's. */
  holds(): boolean {
    if (this.lostReason !== null) return false;
    if (this.now() < this.validUntilMs) return true;
    this.markLost('the lease was not renewed within its TTL');
    return false;
  }

  /** Stops renewing and revokes the lease: etcd deletes every key attached to it at once. */
  async revoke(): Promise<void> {
    this.stopTimer();
    this.lostReason ??= 'revoked';
    await this.lease.revoke().catch(() => undefined);
  }

  /** Stops renewing without revoking: the keys live until the TTL runs out (what a crash looks like). */
  abandon(): void {
    this.stopTimer();
    this.lostReason ??= 'abandoned';
    this.lease.release();
  }

  private schedule(): void {
    const interval = Math.max(100, (this.options.ttlSeconds * 1000) / 3);
    this.timer = setTimeout(() => void this.renew(), interval);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    if (this.lostReason !== null) return;
    const sentAt = this.now();
    try {
      // A renewal that hangs must not outlive the lease it renews.
      const response = await this.lease.keepaliveOnce({ deadline: sentAt + this.options.ttlSeconds * 1000 });
      if (this.lostReason !== null) return;
      if (Number(response.TTL) <= 0) {
        this.markLost('etcd reports the lease expired');
        return;
      }
      this.validUntilMs = Math.max(this.validUntilMs, sentAt + this.options.ttlSeconds * 1000);
    } catch (error) {
      if (error instanceof EtcdLeaseInvalidError) {
        this.markLost('etcd reports the lease expired');
        return;
      }
      if (this.now() >= this.validUntilMs) {
        this.markLost(`renewal failed past the TTL: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
    if (this.lostReason === null) this.schedule();
  }

  private markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    this.stopTimer();
    this.lease.release();
    this.options.onLost?.(reason);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
