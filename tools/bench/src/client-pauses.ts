import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface ClientPauses {
  /** Event loop delay of the load generator (a 1 ms timer's lateness), p99 and max. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** Its garbage collections: how many, their summed and longest pause. */
  readonly gcPauses: number;
  readonly gcPauseTotalMs: number;
  readonly gcPauseMaxMs: number;
}

/**
 * Watches this process's own stalls (a late event loop, garbage collection)
 * from now until stop(): a load generator that stalls adds the stall to
 * whatever request it is timing, and the server is blamed for it.
 */
export function watchClientPauses(): { stop(): ClientPauses } {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gcPauses = 0;
  let gcPauseTotalMs = 0;
  let gcPauseMaxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcPauses++;
      gcPauseTotalMs += entry.duration;
      gcPauseMaxMs = Math.max(gcPauseMaxMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      delay.disable();
      observer.disconnect();
      return { loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6, gcPauses, gcPauseTotalMs, gcPauseMaxMs };
    },
  };
}
