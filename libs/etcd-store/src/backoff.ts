import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Full-jitter exponential backoff: racing writers that lost a compare spread
 * out instead of colliding again on the next attempt.
 */
export function jitteredBackoff(attempt: number, baseMs: number, maxMs: number): Promise<void> {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return sleep(Math.random() * ceiling);
}
