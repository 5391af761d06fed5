/**
 * Seconds a client is asked to wait (`Retry-After`) before retrying a 503 that
 * time cures: a dependency that is down, a full stream cap, a view that is not
 * in sync yet, a shutdown. The etcd client's circuit breaker half-opens after
 * 5 s and the Redis connection retries within 2 s, so sooner would mostly fail again.
 */
export const RETRY_AFTER_SECONDS = 5;

export const RETRY_LATER: Readonly<Record<string, string>> = { 'retry-after': String(RETRY_AFTER_SECONDS) };
