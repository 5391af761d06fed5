import { parseKeyPrefix } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, etcdReachable } from '@ecs-state/etcd-store';
import { startReconcileWorker, type ReconcileWorker } from '@ecs-state/reconcile-jobs';
import { createEcsClient, createReconcileMetrics, Reconciler, RequestBudget } from '@ecs-state/reconciliation';
import { startOpsServer, type Logger } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';
import type { ReconcilerConfig } from './config';

export interface ReconcilerService {
  readonly opsPort: number;
  readonly worker: ReconcileWorker;
  /** Set once stop() starts; /readyz answers 503 from then on. */
  readonly stopping: boolean;
  /** Stops taking jobs, lets the active cluster reconciles finish, closes every connection. */
  stop(): Promise<void>;
}

export interface ReconcilerServiceOptions {
  config: ReconcilerConfig;
  logger: Logger;
  registry: Registry;
  /** Static AWS credentials (tests against the simulator); the SDK's provider chain otherwise. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export async function startReconcilerService(options: ReconcilerServiceOptions): Promise<ReconcilerService> {
  const { config, logger, registry } = options;
  const { settings } = config;
  const prefix = parseKeyPrefix(config.etcd.prefix);
  if (!prefix.ok) throw new Error(`ETCD_PREFIX: ${prefix.message}`);

  const etcd = createEtcdClient(config.etcd);
  const budget = new RequestBudget(settings.ECS_REQUESTS_PER_SECOND, settings.ECS_REQUEST_BURST || settings.ECS_REQUESTS_PER_SECOND);
  const ecs = createEcsClient({
    region: settings.AWS_REGION,
    maxAttempts: settings.ECS_MAX_ATTEMPTS,
    budget,
    ...(settings.AWS_ENDPOINT_URL_ECS === undefined ? {} : { endpoint: settings.AWS_ENDPOINT_URL_ECS }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  const store = new ClusterStateStore({ client: etcd, prefix: prefix.value });
  const reconciler = new Reconciler({ ecs, store, describeParallelism: settings.ECS_DESCRIBE_PARALLELISM });
  const metrics = createReconcileMetrics(registry);

  const worker = startReconcileWorker({
    connection: settings.REDIS_URL,
    prefix: settings.RECONCILE_QUEUE_PREFIX,
    concurrency: settings.RECONCILE_CONCURRENCY,
    clusterAttempts: settings.RECONCILE_CLUSTER_ATTEMPTS,
    clusterBackoffMs: settings.RECONCILE_RETRY_BACKOFF_MS,
    logger,
    planClusters: (requested) => reconciler.planClusters(requested),
    reconcileCluster: (cluster, context) => reconciler.reconcileCluster(cluster, { signal: context.signal }),
    onClusterReport(runId, report) {
      metrics.recordCluster(report);
      logger.info('cluster reconciled', { runId, ...report });
    },
    onRunReport(report, run) {
      metrics.recordRun('completed', report.totals.failedClusters);
      for (const failed of report.clusters.filter((c) => c.outcome === 'failed')) {
        metrics.recordCluster(failed);
        logger.error('cluster reconcile failed', { runId: report.runId, cluster: failed.cluster, errors: failed.errors });
      }
      logger.info('reconcile run finished', { runId: report.runId, trigger: run.trigger, totals: report.totals, startedAt: report.startedAt, finishedAt: report.finishedAt });
    },
  });

  let stopping = false;
  const ops = await startOpsServer({
    port: settings.METRICS_PORT,
    registry,
    isShuttingDown: () => stopping,
    readiness: [
      { name: 'redis', check: async () => (await worker.ping(), true) },
      { name: 'etcd', check: () => etcdReachable(etcd) },
    ],
  });

  try {
    await worker.waitUntilReady();
    await worker.schedule(settings.RECONCILE_INTERVAL);
    if (settings.RECONCILE_ON_EMPTY_STORE && (await reconciler.storeIsEmpty())) {
      const run = await worker.client.enqueue(undefined, { trigger: 'startup' });
      logger.info('store is empty: full reconcile requested', { runId: run.id, coalesced: run.coalesced });
    }
  } catch (err) {
    await worker.close();
    await ops.close();
    etcd.close();
    ecs.destroy();
    throw err;
  }
  logger.info('reconciler started', {
    interval: settings.RECONCILE_INTERVAL,
    concurrency: settings.RECONCILE_CONCURRENCY,
    ecsRequestsPerSecond: settings.ECS_REQUESTS_PER_SECOND,
    opsPort: ops.port,
  });

  return {
    opsPort: ops.port,
    worker,
    get stopping() {
      return stopping;
    },
    async stop() {
      stopping = true;
      await worker.close();
      await ops.close();
      etcd.close();
      ecs.destroy();
    },
  };
}
