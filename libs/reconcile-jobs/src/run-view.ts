import type { Job } from 'bullmq';
import { clusterDriftReportSchema, driftReportSchema, type ClusterDriftReport, type DriftReport } from '@ecs-state/domain';
import { failedClusterReport } from './drift-report';
import { runJobDataSchema, type ReconcileTrigger, type RunJobData } from './job-data';
import { jobIdOfKey } from './job-key';

/**
 * `queued`: waiting for a worker; `running`: clusters are being reconciled;
 * `completed`: the report is final (some clusters may still have failed: see the report);
 * `failed`: the run itself could not complete (e.g. the cluster list could not be read).
 */
export const RUN_STATES = ['queued', 'running', 'completed', 'failed'] as const;
export type ReconcileRunState = (typeof RUN_STATES)[number];

/** A run as reported to operators (REST API, CLI). */
export interface ReconcileRunView {
  id: string;
  state: ReconcileRunState;
  trigger: ReconcileTrigger;
  /** The clusters asked for (names or ARNs), or null for every cluster. */
  requestedClusters: string[] | null;
  /** ISO timestamps. */
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Number of clusters planned (null until the run has planned them). */
  plannedClusters: number | null;
  /**
   * The drift report: final once `completed`; while `running`, the clusters over so far
   * (reconciled, removed, or failed after their last attempt; totals over those), so that
   * `report.totals.clusters` of `plannedClusters` is the run's progress; null while `queued`
   * or when the run failed before any cluster was over.
   */
  report: DriftReport | null;
  /** Why the run failed, when `failed`. */
  error: string | null;
}

export function toRunState(state: string): ReconcileRunState | null {
  switch (state) {
    case 'waiting':
    case 'delayed':
    case 'prioritized':
      return 'queued';
    case 'active':
    case 'waiting-children':
      return 'running';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    default:
      return null;
  }
}

function isoOrNull(epochMs: number | undefined): string | null {
  return epochMs === undefined || epochMs === 0 ? null : new Date(epochMs).toISOString();
}

/**
 * The clusters of a run that are over so far, read from the run's dependencies: the
 * results of those that finished, and those that ran out of attempts (failed), so that
 * their number measures the run's progress.
 */
async function partialClusterReports(job: Job, fanout: RunJobData['fanout']): Promise<ClusterDriftReport[]> {
  const values = await job.getChildrenValues<unknown>();
  const reports: ClusterDriftReport[] = [];
  for (const value of Object.values(values)) {
    const parsed = clusterDriftReportSchema.safeParse(value);
    if (parsed.success) reports.push(parsed.data);
  }
  const failures = await job.getIgnoredChildrenFailures();
  const clusterOfJob = new Map((fanout ?? []).map(({ cluster, jobId }) => [jobId, cluster]));
  for (const [key, reason] of Object.entries(failures)) {
    const cluster = clusterOfJob.get(jobIdOfKey(key));
    if (cluster !== undefined) reports.push(failedClusterReport(cluster, reason));
  }
  return reports;
}

/**
 * Builds the view of a run job; null when the job is not a run or its data is unreadable.
 * `jobState` must have been read before `job`: a job read first could finish in between,
 * and its (stale) copy would then show a completed run without a result.
 */
export async function viewRun(
  job: Job,
  jobState: string,
  buildPartial: (runId: string, startedAt: string, clusters: ClusterDriftReport[]) => DriftReport,
): Promise<ReconcileRunView | null> {
  const data = runJobDataSchema.safeParse(job.data);
  if (!data.success || job.id === undefined) return null;
  const jobRunState = toRunState(jobState);
  if (jobRunState === null) return null;
  // Between its cluster jobs and its last step a run goes back to BullMQ's wait list; once a
  // worker has taken it, it is running, not queued again (progress must never go backwards).
  const state = jobRunState === 'queued' && (job.processedOn ?? 0) > 0 ? 'running' : jobRunState;
  let report: DriftReport | null = null;
  if (state === 'completed') {
    const parsed = driftReportSchema.safeParse(job.returnvalue);
    report = parsed.success ? parsed.data : null;
  } else if (state === 'running' || state === 'failed') {
    const done = await partialClusterReports(job, data.data.fanout);
    if (done.length > 0) report = buildPartial(job.id, data.data.startedAt ?? data.data.requestedAt, done);
  }
  return {
    id: job.id,
    state,
    trigger: data.data.trigger,
    requestedClusters: data.data.clusters,
    requestedAt: data.data.requestedAt,
    startedAt: data.data.startedAt ?? isoOrNull(job.processedOn),
    finishedAt: state === 'completed' || state === 'failed' ? isoOrNull(job.finishedOn) : null,
    plannedClusters: data.data.fanout?.length ?? null,
    report,
    error: state === 'failed' ? (job.failedReason ?? 'unknown error') : null,
  };
}
