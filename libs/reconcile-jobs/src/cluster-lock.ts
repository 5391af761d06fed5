import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export interface HeldLock {
  /** Aborted when the lock could not be extended (another holder may take over). */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * A lease on one cluster across all replicas: at most one reconcile of a cluster
 * at a time, even when two runs (a list and every cluster) overlap. The lease
 * expires on its own if its holder dies, and is extended while the holder lives.
 */
export class ClusterLocks {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs = 30_000,
  ) {}

  private key(cluster: string): string {
    return `${this.keyPrefix}:reconcile-lock:${cluster}`;
  }

  async tryAcquire(cluster: string): Promise<HeldLock | null> {
    const key = this.key(cluster);
    const token = randomUUID();
    const acquired = await this.redis.set(key, token, 'PX', this.ttlMs, 'NX');
    if (acquired !== 'OK') return null;
    const controller = new AbortController();
    const timer = setInterval(() => {
      this.redis.eval(EXTEND, 1, key, token, String(this.ttlMs)).then(
        (extended) => {
          if (extended !== 1) controller.abort(new Error(`lock on ${cluster} lost`));
        },
        // Redis unreachable: keep trying until the lease would have run out.
        () => undefined,
      );
    }, Math.floor(this.ttlMs / 3));
    timer.unref();
    return {
      lost: controller.signal,
      release: async () => {
        clearInterval(timer);
        await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
      },
    };
  }
}
