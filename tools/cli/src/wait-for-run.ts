import { setTimeout as sleep } from 'node:timers/promises';
import type { ReconcileApi } from './reconcile-api';
import type { RunView } from './run-view';

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  /** Each view read while waiting, the last (finished) one included. */
  onView(view: RunView): void;
}

export class RunVanishedError extends Error {}

/** Polls a run until it is completed or failed; null when `timeoutMs` ends first. */
export async function waitForRun(api: ReconcileApi, id: string, options: WaitOptions): Promise<RunView | null> {
  // One deadline for the polls and the sleeps alike, so a slow answer cannot overrun it.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  try {
    for (;;) {
      const view = await api.getRun(id, deadline);
      if (view === null) throw new RunVanishedError(`run ${id} is no longer known to the API`);
      options.onView(view);
      if (view.state === 'completed' || view.state === 'failed') return view;
      await sleep(options.pollMs, undefined, { signal: deadline });
    }
  } catch (err) {
    if (deadline.aborted) return null;
    throw err;
  }
}
