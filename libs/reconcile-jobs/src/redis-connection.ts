import { Redis, type RedisOptions } from 'ioredis';

/** A Redis URL (`redis://` or `rediss://` for TLS; user and password in the URL) or a connection to share. */
export type RedisConnectionInput = string | Redis;

/**
 * `worker`: blocking commands and retries for ever while Redis is away, as BullMQ workers require.
 * `producer`: a caller (an HTTP request) gets an error instead of waiting for as long as Redis is
 * away: no offline queue (a command while disconnected fails at once), one retry of a command cut
 * off by a lost connection, and `commandTimeout` (set by the caller) for a Redis that accepts
 * connections but does not answer. The connection itself keeps reconnecting, so calls succeed
 * again as soon as Redis is back.
 */
export type ConnectionRole = 'worker' | 'producer';

/** Opens an ioredis connection; a `rediss://` URL turns TLS on (server certificate verified). */
export function createRedisConnection(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 5_000 };
  return new Redis(url, { ...options, ...extra });
}

/** Returns the connection to use and whether the caller owns (and must close) it. */
export function resolveConnection(input: RedisConnectionInput, role: ConnectionRole, extra: RedisOptions = {}): { redis: Redis; owned: boolean } {
  return typeof input === 'string' ? { redis: createRedisConnection(input, role, extra), owned: true } : { redis: input, owned: false };
}
