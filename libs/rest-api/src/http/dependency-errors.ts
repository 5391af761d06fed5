import { DependencyUnavailableError } from '@ecs-state/service-runtime';
import { StoreUnavailableError } from '@ecs-state/state-view';
import { ApiError, MESSAGES } from './api-error';
import { RETRY_LATER } from './retry-later';

/**
 * The 503 for an error that says a dependency could not serve the request, or
 * undefined for any other error. A dependency being down is not a failure of
 * this server (500): the client is told which one, and when to try again.
 */
export function dependencyUnavailable(error: unknown): ApiError | undefined {
  if (error instanceof StoreUnavailableError) return new ApiError(503, MESSAGES.etcdUnavailable, RETRY_LATER);
  // Recognised by its base class, so this surface loads no Redis client to answer for one.
  if (error instanceof DependencyUnavailableError && error.dependency === 'redis') return new ApiError(503, MESSAGES.redisUnavailable, RETRY_LATER);
  return undefined;
}
