import type { Job, JobType, Queue } from 'bullmq';
import type { ClusterDriftReport, DriftReport } from '@ecs-state/domain';
import { JOB_NAMES } from './names';
import { viewRun, type ReconcileRunView } from './run-view';

/** Every BullMQ state a run job can be in, each listed on its own so that the state is known without another call. */
const RUN_JOB_STATES: readonly JobType[] = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children', 'completed', 'failed'];

/**
 * Failed scheduler ticks share the runs queue (the last 100 are kept); reading that many
 * more of each state means they can never hide a run from the newest `limit`.
 */
const TICKS_KEPT = 100;

/**
 * The newest `limit` runs by the time they were requested. Each state's set is
 * read newest first, so the newest `limit` of the queue are among what is read.
 */
export async function listRecentRuns(
  queue: Queue,
  limit: number,
  buildPartial: (runId: string, startedAt: string, clusters: ClusterDriftReport[]) => DriftReport,
): Promise<ReconcileRunView[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const found: Array<{ job: Job; state: JobType }> = [];
  for (const state of RUN_JOB_STATES) {
    const jobs = await queue.getJobs([state], 0, limit + TICKS_KEPT - 1, false);
    for (const job of jobs) if (job !== undefined && job.name === JOB_NAMES.run) found.push({ job, state });
  }
  // A job that moved between two reads shows up twice: its later state wins.
  const latest = new Map<string, { job: Job; state: JobType }>();
  for (const entry of found) if (entry.job.id !== undefined) latest.set(entry.job.id, entry);
  const newest = [...latest.values()].sort((a, b) => b.job.timestamp - a.job.timestamp).slice(0, limit);
  const views = await Promise.all(newest.map(({ job, state }) => viewRun(job, state, buildPartial)));
  return views.filter((view): view is ReconcileRunView => view !== null);
}
