import { DelayedError, type Job } from 'bullmq';
import type { ClusterDriftReport } from '@ecs-state/domain';
import type { ClusterLocks } from './cluster-lock';
import { clusterJobDataSchema } from './job-data';

export interface ClusterReconcileContext {
  runId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the worker shuts down or the cluster lock is lost: stop early and throw. */
  signal: AbortSignal;
}

export type ReconcileClusterFn = (cluster: string, context: ClusterReconcileContext) => Promise<ClusterDriftReport>;

export interface ClusterProcessorDeps {
  locks: ClusterLocks;
  reconcileCluster: ReconcileClusterFn;
  /** How long a job waits before trying again when another replica holds the cluster. */
  lockBusyDelayMs: number;
}

export async function processCluster(job: Job, token: string, signal: AbortSignal | undefined, deps: ClusterProcessorDeps): Promise<ClusterDriftReport> {
  const data = clusterJobDataSchema.parse(job.data);
  const lock = await deps.locks.tryAcquire(data.cluster);
  if (lock === null) {
    // Another run is reconciling this cluster right now; come back later without spending an attempt.
    await job.moveToDelayed(Date.now() + deps.lockBusyDelayMs, token);
    throw new DelayedError();
  }
  try {
    const combined = signal === undefined ? lock.lost : AbortSignal.any([signal, lock.lost]);
    return await deps.reconcileCluster(data.cluster, { runId: data.runId, attempt: job.attemptsMade + 1, signal: combined });
  } finally {
    await lock.release();
  }
}
