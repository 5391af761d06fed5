import { DependencyUnavailableError } from '@ecs-state/service-runtime';
import { ReplyError, type Redis } from 'ioredis';

/**
 * Redis did not serve a producer call: unreachable, the connection dropped, or
 * no answer within the client's timeout. Safe to retry once Redis is back (an
 * enqueue that timed out may still have landed; a retry coalesces with it).
 */
export class RedisUnavailableError extends DependencyUnavailableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('redis', message, options);
    this.name = 'RedisUnavailableError';
  }
}

/** Replies by which Redis says it cannot serve right now, rather than that the command was wrong. */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * The error a failed producer call is reported with: RedisUnavailableError when
 * Redis could not answer, the error itself otherwise (a command Redis refused,
 * or a bug, is not an outage).
 */
export function classifyRedisFailure(error: unknown, redis: Redis): unknown {
  if (error instanceof RedisUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ReplyError) {
    return UNAVAILABLE_REPLIES.test(message) ? new RedisUnavailableError(`Redis cannot serve: ${message}`, { cause: error }) : error;
  }
  // ioredis reports a lost or absent connection with plain errors; its state says what they mean.
  if (redis.status !== 'ready' || isConnectionError(error)) return new RedisUnavailableError(`Redis is unreachable: ${message}`, { cause: error });
  return error;
}

function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^E(CONN|PIPE|HOSTUNREACH|NETUNREACH|TIMEDOUT|NOTFOUND|AI_AGAIN)/.test(code)) return true;
  return /Connection is closed|Stream isn't writeable|Command timed out/.test(error.message);
}
