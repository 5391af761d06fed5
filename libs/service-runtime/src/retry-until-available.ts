import { Backoff, sleep } from './backoff';

export interface RetryUntilAvailableOptions {
  /** What is attempted, as the warning names it: `cannot ${what} yet; retrying`. */
  readonly what: string;
  readonly logger: { warn(message: string, meta: Record<string, unknown>): void };
  /** Logged with every warning, before the delay and the error. */
  readonly meta?: Record<string, unknown>;
  /** Once aborted, the next failure is thrown instead of retried. */
  readonly signal: AbortSignal;
  readonly backoff?: Backoff;
}

/**
 * Attempts until it succeeds, backing off between failures: at boot a
 * dependency (or the network to it) may not be reachable yet, and a service
 * restarting in a loop helps nobody.
 */
export async function retryUntilAvailable<T>(attempt: () => Promise<T>, options: RetryUntilAvailableOptions): Promise<T> {
  const backoff = options.backoff ?? new Backoff(500, 15_000);
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (options.signal.aborted) throw err;
      const delay = backoff.next();
      options.logger.warn(`cannot ${options.what} yet; retrying`, {
        ...options.meta,
        delayMs: delay,
        error: err instanceof Error ? err.message : String(err),
      });
      await sleep(delay, options.signal);
    }
  }
}
