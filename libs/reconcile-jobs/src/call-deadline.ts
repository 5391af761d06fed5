import { RedisUnavailableError } from './redis-unavailable-error';

/**
 * Settles with `work`, or rejects with RedisUnavailableError after `timeoutMs`:
 * a stalled Redis (connection open, no answer) would otherwise hold the
 * caller for as long as it stays stalled.
 */
export function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisUnavailableError(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
