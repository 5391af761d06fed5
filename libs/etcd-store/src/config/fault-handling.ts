import { ConsecutiveBreaker, circuitBreaker, handleWhen, retry } from 'cockatiel';
import { isRecoverableError, type IOptions } from 'etcd3';
import { isNoSpaceError } from '../no-space';

/**
 * The etcd client's own fault handling (retry 3 times, then a per-host circuit
 * breaker open for 5 s after 3 consecutive failures), except that a write
 * refused for a full database is not a failure of the host. The client counts
 * every RESOURCE_EXHAUSTED as one, so a single refused write used to open the
 * breaker and fail every read and status call, readiness checks included, for
 * 5 s at a time while etcd was full.
 */
export function etcdFaultHandling(): NonNullable<IOptions['faultHandling']> {
  const hostFailure = handleWhen((error) => isRecoverableError(error) && !isNoSpaceError(error));
  return {
    host: () => circuitBreaker(hostFailure, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(3) }),
    global: retry(hostFailure, { maxAttempts: 3 }),
  };
}
