import { ClusterStateStore, createEtcdClient, createEtcdStatusWatch, etcdReachable } from '@ecs-state/etcd-store';
import { clusterTarget, startReconcileWorker, type ReconcileWorker } from '@ecs-state/reconcile-jobs';
import {
  createEcsClient,
  createReconcileMetrics,
  MultiTargetReconciler,
  RequestBudget,
  targetCredentials,
  TargetIdentity,
  type EcsCredentials,
  type ReconcileTargetClient,
} from '@ecs-state/reconciliation';
import { startOpsServer, type Logger } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';
import type { ReconcilerConfig } from './config';

export interface ReconcilerService {
  readonly opsPort: number;
  readonly worker: ReconcileWorker;
  /** The targets' ids (`<partition>/<region>/<account>`), once their accounts are known. */
  readonly targets: readonly string[];
  /** Set once stop() starts; /readyz answers 503 from then on. */
  readonly stopping: boolean;
  /** Stops taking jobs, lets the active cluster reconciles finish, closes every connection. */
  stop(): Promise<void>;
}

export interface ReconcilerServiceOptions {
  config: ReconcilerConfig;
  logger: Logger;
  registry: Registry;
  /**
   * The service's own AWS credentials (tests against the simulator): what targets without
   * role or profile use, and what assumes the roles. The SDK's provider chain otherwise.
   */
  credentials?: EcsCredentials;
}

export async function startReconcilerService(options: ReconcilerServiceOptions): Promise<ReconcilerService> {
  const { config, logger, registry } = options;
  const { settings } = config;

  const etcd = createEtcdClient(config.etcd);
  // ECS limits requests per account and region, so each target has a budget of its own.
  const clients: ReconcileTargetClient[] = config.targets.map((target) => ({
    target: new TargetIdentity(target.partition, target.region, target.account),
    ecs: createEcsClient({
      region: target.region,
      maxAttempts: settings.ECS_MAX_ATTEMPTS,
      requestTimeoutMs: settings.ECS_REQUEST_TIMEOUT_MS,
      budget: new RequestBudget(settings.ECS_REQUESTS_PER_SECOND, settings.ECS_REQUEST_BURST || settings.ECS_REQUESTS_PER_SECOND),
      ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
      ...credentialsOf(targetCredentials(target, options.credentials === undefined ? {} : { base: options.credentials })),
    }),
  }));
  const destroyClients = () => clients.forEach(({ ecs }) => ecs.destroy());
  const store = new ClusterStateStore({ client: etcd, prefix: config.etcd.prefix });
  const metrics = createReconcileMetrics(registry);
  // Its writes fail while etcd is full: runs fail naming it (EtcdNoSpaceError) and readiness says why.
  const etcdStatus = createEtcdStatusWatch({
    client: etcd,
    config: config.etcd,
    registry,
    lastWriteAt: () => store.lastWriteAt(),
    log: logger,
    whileFull: 'reconciles fail until an operator frees space and disarms the alarm',
  });
  etcdStatus.start();
  const reconciler = new MultiTargetReconciler({
    targets: clients,
    store,
    describeParallelism: settings.ECS_DESCRIBE_PARALLELISM,
    onPlanFailure(target, error) {
      metrics.recordPlanFailure(target);
      logger.error('target planning failed: its stored clusters are planned instead', { target, error: errorText(error) });
    },
    onOutsideTargets(clusters) {
      logger.warn('requested clusters of no target are not reconciled', { clusters, targets: targetIds() });
    },
  });
  const targetIds = () => reconciler.targets.map((t) => t.id);

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
      metrics.recordCluster({ ...report, target: clusterTarget(report) });
      logger.info('cluster reconciled', { runId, ...report });
    },
    onRunReport(report, run) {
      const clusters = report.clusters.map((c) => ({ ...c, target: clusterTarget(c) }));
      metrics.recordRun('completed', clusters, targetIds());
      for (const failed of clusters.filter((c) => c.outcome === 'failed')) {
        metrics.recordCluster(failed);
        logger.error('cluster reconcile failed', { runId: report.runId, cluster: failed.cluster, target: failed.target, errors: failed.errors });
      }
      logger.info('reconcile run finished', {
        runId: report.runId,
        trigger: run.trigger,
        totals: report.totals,
        targets: report.targets,
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
      });
    },
  });

  let stopping = false;
  const ops = await startOpsServer({
    port: settings.METRICS_PORT,
    registry,
    isShuttingDown: () => stopping,
    readiness: [
      { name: 'redis', check: async () => (await worker.ping(), true) },
      { name: 'etcd', check: async () => (await etcdReachable(etcd)) && etcdStatus.assertWritable() },
    ],
  });

  try {
    await worker.waitUntilReady();
    await worker.schedule(settings.RECONCILE_INTERVAL);
    if (settings.RECONCILE_ON_EMPTY_STORE) {
      const empty = await reconciler.emptyTargets((target, error) =>
        logger.warn('could not tell whether the store holds anything of a target', { target, error: errorText(error) }),
      );
      if (empty.length > 0) {
        const run = await worker.client.enqueue(undefined, { trigger: 'startup' });
        logger.info('store is empty: full reconcile requested', { runId: run.id, coalesced: run.coalesced, emptyTargets: empty });
      }
    }
  } catch (err) {
    etcdStatus.stop();
    await worker.close();
    await ops.close();
    etcd.close();
    destroyClients();
    throw err;
  }
  logger.info('reconciler started', {
    targets: targetIds(),
    interval: settings.RECONCILE_INTERVAL,
    concurrency: settings.RECONCILE_CONCURRENCY,
    ecsRequestsPerSecond: settings.ECS_REQUESTS_PER_SECOND,
    ecsRequestTimeoutMs: settings.ECS_REQUEST_TIMEOUT_MS,
    opsPort: ops.port,
  });

  return {
    opsPort: ops.port,
    worker,
    get targets() {
      return targetIds();
    },
    get stopping() {
      return stopping;
    },
    async stop() {
      stopping = true;
      etcdStatus.stop();
      await worker.close();
      await ops.close();
      etcd.close();
      destroyClients();
    },
  };
}

function credentialsOf(credentials: EcsCredentials | undefined): { credentials?: EcsCredentials } {
  return credentials === undefined ? {} : { credentials };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
