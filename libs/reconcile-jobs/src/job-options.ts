import type { JobsOptions } from 'bullmq';

const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * Finished runs stay readable (report by id) for a week, at most the last 1000.
 * Planning a run reads ECS and the store; a failure there is retried.
 */
export const RUN_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: WEEK_SECONDS, count: 1000 },
  removeOnFail: { age: WEEK_SECONDS, count: 1000 },
};

/**
 * Cluster jobs are kept as long as their run: the run reads their results when it
 * collects the report, and a finished child must stay so that a repeated fan-out
 * (same deterministic ids) does not reconcile a cluster twice in one run.
 */
export function clusterJobOptions(attempts: number, backoffMs: number): JobsOptions {
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // A cluster that keeps failing is reported as failed; the run and the other clusters go on.
    ignoreDependencyOnFailure: true,
    removeOnComplete: { age: WEEK_SECONDS, count: 100_000 },
    removeOnFail: { age: WEEK_SECONDS, count: 100_000 },
  };
}

/** The scheduler's ticks only enqueue a run; nothing in them is worth keeping. */
export const TICK_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: 100 };
