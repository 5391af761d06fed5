import { Queue, Worker, type Job } from 'bullmq';
import type { Logger } from '@ecs-state/service-runtime';
import type { ClusterDriftReport, DriftReport } from '@ecs-state/domain';
import { ClusterLocks } from './cluster-lock';
import { processCluster, type ReconcileClusterFn } from './cluster-processor';
import { runJobDataSchema, type RunJobData } from './job-data';
import { TICK_JOB_OPTIONS } from './job-options';
import { DEFAULT_QUEUE_PREFIX, JOB_NAMES, QUEUE_NAMES, SCHEDULER_ID } from './names';
import { createReconcileClient, type ReconcileClient } from './reconcile-client';
import { resolveConnection, type RedisConnectionInput } from './redis-connection';
import { processRun } from './run-processor';

export interface ReconcileWorkerOptions {
  connection: RedisConnectionInput;
  prefix?: string;
  /** Cluster reconciles this replica runs at once. */
  concurrency: number;
  /** Attempts per cluster job before the cluster is reported as failed. */
  clusterAttempts?: number;
  /** Base of the exponential backoff between attempts of a cluster job. */
  clusterBackoffMs?: number;
  /** Wait before retrying a cluster that another run is reconciling. */
  lockBusyDelayMs?: number;
  /** Lease of the per-cluster lock; extended every third of it while the reconcile runs. */
  lockTtlMs?: number;
  /** Cluster ARNs to reconcile; `requested` (names or ARNs) null means every cluster. */
  planClusters(requested: string[] | null): Promise<string[]>;
  reconcileCluster: ReconcileClusterFn;
  logger: Logger;
  onClusterReport?(runId: string, report: ClusterDriftReport): void;
  onRunReport?(report: DriftReport, run: RunJobData): void;
}

export interface ReconcileWorker {
  /** Producer on the same queues (e.g. for the run at start). */
  readonly client: ReconcileClient;
  /** Creates or updates the periodic trigger (idempotent across replicas); null removes it. */
  schedule(intervalMs: number | null): Promise<void>;
  /** Waits until both workers are connected. */
  waitUntilReady(): Promise<void>;
  /** Resolves when Redis answers. */
  ping(): Promise<void>;
  /** Stops taking jobs and waits for the active ones to finish. */
  close(): Promise<void>;
}

/** One replica's share of the reconcile work: runs (planning, reporting) and cluster jobs. */
export function startReconcileWorker(options: ReconcileWorkerOptions): ReconcileWorker {
  const { redis, owned } = resolveConnection(options.connection, 'worker');
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const { logger } = options;
  const client = createReconcileClient({ connection: redis, prefix });
  const runsQueue = new Queue(QUEUE_NAMES.runs, { connection: redis, prefix });
  const clustersQueue = new Queue(QUEUE_NAMES.clusters, { connection: redis, prefix });
  const locks = new ClusterLocks(redis, prefix, options.lockTtlMs);

  const runsWorker = new Worker(
    QUEUE_NAMES.runs,
    async (job: Job, token?: string) => {
      if (token === undefined) throw new Error('worker gave no lock token');
      if (job.name === JOB_NAMES.tick) {
        const queued = await client.enqueue(undefined, { trigger: 'schedule' });
        logger.info('scheduled reconcile', { runId: queued.id, coalesced: queued.coalesced });
        return queued;
      }
      return processRun(job, token, {
        clustersQueue,
        planClusters: options.planClusters,
        clusterAttempts: options.clusterAttempts ?? 3,
        clusterBackoffMs: options.clusterBackoffMs ?? 10_000,
      });
    },
    // Planning and collecting are short; a few runs at once is plenty.
    { connection: redis, prefix, concurrency: 4 },
  );
  const clustersWorker = new Worker(
    QUEUE_NAMES.clusters,
    async (job: Job, token?: string, signal?: AbortSignal) => {
      if (token === undefined) throw new Error('worker gave no lock token');
      return processCluster(job, token, signal, {
        locks,
        reconcileCluster: options.reconcileCluster,
        lockBusyDelayMs: options.lockBusyDelayMs ?? 2_000,
      });
    },
    { connection: redis, prefix, concurrency: options.concurrency },
  );

  runsWorker.on('completed', (job: Job, result: unknown) => {
    if (job.name !== JOB_NAMES.run) return;
    const run = runJobDataSchema.safeParse(job.data);
    if (run.success) options.onRunReport?.(result as DriftReport, run.data);
  });
  runsWorker.on('failed', (job: Job | undefined, err: Error) => {
    logger.error('reconcile run attempt failed', { runId: job?.id, attempt: job?.attemptsMade, error: err.message });
  });
  clustersWorker.on('completed', (job: Job, result: unknown) => {
    const runId = typeof job.data?.runId === 'string' ? job.data.runId : 'unknown';
    options.onClusterReport?.(runId, result as ClusterDriftReport);
  });
  clustersWorker.on('failed', (job: Job | undefined, err: Error) => {
    logger.warn('cluster reconcile attempt failed', {
      runId: job?.data?.runId,
      cluster: job?.data?.cluster,
      target: job?.data?.target,
      attempt: job?.attemptsMade,
      error: err.message,
    });
  });
  for (const w of [runsWorker, clustersWorker]) {
    // Mostly Redis connection errors; the worker reconnects by itself.
    w.on('error', (err: Error) => logger.warn('reconcile worker error', { error: err.message }));
  }
  for (const q of [runsQueue, clustersQueue]) {
    q.on('error', (err: Error) => logger.warn('reconcile queue error', { error: err.message }));
  }

  return {
    client,
    async schedule(intervalMs) {
      if (intervalMs === null) {
        await runsQueue.removeJobScheduler(SCHEDULER_ID);
        return;
      }
      await runsQueue.upsertJobScheduler(
        SCHEDULER_ID,
        { every: intervalMs },
        { name: JOB_NAMES.tick, data: { trigger: 'schedule' }, opts: TICK_JOB_OPTIONS },
      );
    },
    async waitUntilReady() {
      await Promise.all([runsWorker.waitUntilReady(), clustersWorker.waitUntilReady()]);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await Promise.all([runsWorker.close(), clustersWorker.close()]);
      await Promise.all([runsQueue.close(), clustersQueue.close(), client.close()]);
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
