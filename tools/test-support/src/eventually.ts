import { setTimeout as sleep } from 'node:timers/promises';

export interface EventuallyOptions {
  /** How long to keep checking; default 5000 ms. */
  timeoutMs?: number;
  /** Pause between checks; default 50 ms. */
  intervalMs?: number;
  /** Appended to the failure message, e.g. the output of the process under test. */
  context?: () => string;
  /** A reason to stop before the deadline (e.g. the process under test has ended), or undefined to go on. */
  giveUpIf?: () => string | undefined;
}

/** What a check returns while its condition does not hold yet. */
export type NotYet = undefined | null | false;

/**
 * Runs `check` until it returns something other than undefined, null or false, and resolves
 * with that value. A check that throws counts as "not yet": conditions under test often fail
 * transiently (a server still starting), and the last error is what the timeout reports.
 */
export async function eventually<T>(what: string, check: () => T | Promise<T>, options: EventuallyOptions = {}): Promise<Exclude<T, NotYet>> {
  const { timeoutMs = 5000, intervalMs = 50, context, giveUpIf } = options;
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing (never checked)';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, NotYet>;
      last = `returned ${String(value)}`;
    } catch (error) {
      last = `threw ${error instanceof Error ? error.message : String(error)}`;
    }
    const reason = giveUpIf?.();
    if (reason !== undefined) throw new Error(failure(`gave up waiting for ${what}: ${reason}`, last, context));
    if (Date.now() >= deadline) throw new Error(failure(`timed out after ${timeoutMs} ms waiting for ${what}`, last, context));
    await sleep(intervalMs);
  }
}

function failure(headline: string, last: string, context: (() => string) | undefined): string {
  const message = `${headline}; the last check ${last}`;
  return context ? `${message}\n${context()}` : message;
}
