import { Redis, type RedisOptions } from 'ioredis';

/** A Redis URL (`redis://` or `rediss://` for TLS; user and password in the URL) or a connection to share. */
export type RedisConnectionInput = string | Redis;

/**
 * `worker`: blocking commands and retries for ever while Redis is away, as BullMQ workers require.
 * `producer`: commands fail after a short while, so a caller (an HTTP request) gets an error
 * instead of waiting for as long as Redis is down.
 */
export type ConnectionRole = 'worker' | 'producer';

/** Opens an ioredis connection; a `rediss://` URL turns TLS on (server certificate verified). */
export function createRedisConnection(url: string, role: ConnectionRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 };
  return new Redis(url, { ...options, ...extra });
}

/** Returns the connection to use and whether the caller owns (and must close) it. */
export function resolveConnection(input: RedisConnectionInput, role: ConnectionRole): { redis: Redis; owned: boolean } {
  return typeof input === 'string' ? { redis: createRedisConnection(input, role), owned: true } : { redis: input, owned: false };
}
