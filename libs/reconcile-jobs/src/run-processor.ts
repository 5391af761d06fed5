import { WaitingChildrenError, type Job, type Queue } from 'bullmq';
import type { ClusterDriftReport, DriftReport } from '@ecs-state/domain';
import { targetOfCluster } from './cluster-target';
import { buildDriftReport, failedClusterReport } from './drift-report';
import { runJobDataSchema, type ClusterJobData, type RunJobData } from './job-data';
import { jobIdOfKey } from './job-key';
import { clusterJobOptions } from './job-options';
import { JOB_NAMES } from './names';

export interface RunProcessorDeps {
  clustersQueue: Queue;
  /** Cluster ARNs for a run; `requested` null means every cluster. */
  planClusters(requested: string[] | null): Promise<string[]>;
  clusterAttempts: number;
  clusterBackoffMs: number;
}

type Fanout = NonNullable<RunJobData['fanout']>;

/**
 * The run is a step job. Step 1 plans the clusters and records the plan in the
 * job (so a retry after a crash fans out the same deterministic child ids and no
 * cluster runs twice in one run); step 2 adds the children and parks the run until
 * they are done; step 3 collects their results into the drift report.
 */
export async function processRun(job: Job, token: string, deps: RunProcessorDeps): Promise<DriftReport> {
  const runId = job.id;
  if (runId === undefined) throw new Error('run job without id');
  let data = runJobDataSchema.parse(job.data);

  if (data.fanout === undefined) {
    const startedAt = new Date().toISOString();
    const clusters = [...new Set(await deps.planClusters(data.clusters))].sort();
    const fanout: Fanout = clusters.map((cluster, i) => ({ cluster, jobId: `${runId}.${i}` }));
    data = { ...data, startedAt, fanout };
    await job.updateData(data);
    await addChildren(job, runId, fanout, deps);
  } else if (data.fanout.length > 0 && !(await hasAllChildren(job, data.fanout))) {
    // A crash between recording the plan and adding the children: adding them again is
    // a no-op for those that exist (same ids).
    await addChildren(job, runId, data.fanout, deps);
  }

  const fanout = data.fanout ?? [];
  if (fanout.length > 0 && (await job.moveToWaitingChildren(token))) {
    throw new WaitingChildrenError();
  }
  return collect(job, runId, data.startedAt ?? new Date().toISOString(), fanout);
}

async function addChildren(job: Job, runId: string, fanout: Fanout, deps: RunProcessorDeps): Promise<void> {
  if (fanout.length === 0) return;
  await deps.clustersQueue.addBulk(
    fanout.map(({ cluster, jobId }) => ({
      name: JOB_NAMES.cluster,
      data: { runId, cluster, target: targetOfCluster(cluster) } satisfies ClusterJobData,
      opts: {
        ...clusterJobOptions(deps.clusterAttempts, deps.clusterBackoffMs),
        jobId,
        parent: { id: runId, queue: job.queueQualifiedName },
      },
    })),
  );
}

async function hasAllChildren(job: Job, fanout: Fanout): Promise<boolean> {
  const counts = await job.getDependenciesCount();
  const total = (counts.processed ?? 0) + (counts.unprocessed ?? 0) + (counts.ignored ?? 0) + (counts.failed ?? 0);
  return total >= fanout.length;
}

async function collect(job: Job, runId: string, startedAt: string, fanout: Fanout): Promise<DriftReport> {
  const values = await job.getChildrenValues<ClusterDriftReport>();
  const failures = await job.getIgnoredChildrenFailures();
  const byJobId = new Map<string, ClusterDriftReport>();
  for (const [key, value] of Object.entries(values)) byJobId.set(jobIdOfKey(key), value);
  const failedByJobId = new Map<string, string>();
  for (const [key, reason] of Object.entries(failures)) failedByJobId.set(jobIdOfKey(key), reason);
  const reports = fanout.map(({ cluster, jobId }) => {
    const report = byJobId.get(jobId);
    if (report !== undefined) return report;
    return failedClusterReport(cluster, failedByJobId.get(jobId) ?? 'the cluster job left no result');
  });
  return buildDriftReport(runId, startedAt, new Date().toISOString(), reports);
}
