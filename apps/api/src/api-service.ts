import { createEtcdClient, createEtcdStatusWatch, type EtcdConfig } from '@ecs-state/etcd-store';
import { createReconcileClient, type ReconcileClient } from '@ecs-state/reconcile-jobs';
import { buildApiServer, projectApiRecord, viewProblem, type ApiView } from '@ecs-state/rest-api';
import { createMetricsRegistry, startOpsServer, type Logger, type OpsServer, type ReadinessCheck } from '@ecs-state/service-runtime';
import { StateView } from '@ecs-state/state-view';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { ApiEnv } from './config';
import { loadDashboardAssets } from './dashboard-assets';

export interface ApiService {
  readonly app: FastifyInstance;
  readonly view: ApiView;
  /** The address the server listens on. */
  readonly url: string;
  /** The port of /metrics, /healthz and /readyz without a token (METRICS_PORT), if any. */
  readonly metricsPort: number | undefined;
  readonly registry: Registry;
  stop(): Promise<void>;
}

/**
 * Loads the view, then listens. Order matters: the port opens only once the
 * view has its snapshot, and stop() closes the server (ending streams) before
 * the view and the connections underneath it.
 */
export async function startApiService(env: ApiEnv, etcd: EtcdConfig, logger: Logger): Promise<ApiService> {
  const client = createEtcdClient(etcd);
  const view: ApiView = new StateView({
    client,
    prefix: etcd.prefix,
    historySize: env.VIEW_HISTORY_SIZE,
    probeIntervalMs: env.VIEW_PROBE_INTERVAL_MS,
    maxStalenessMs: env.VIEW_MAX_STALENESS_MS,
    storeTimeoutMs: etcd.requestTimeoutMs,
    logger,
    project: projectApiRecord,
  });
  let reconcile: ReconcileClient | undefined;
  let ops: OpsServer | undefined;
  let stopping = false;
  const registry = createMetricsRegistry('api');
  // The api writes nothing, so a full etcd does not stop it serving; readiness says so, since its view can no longer change.
  const etcdStatus = createEtcdStatusWatch({
    client,
    config: etcd,
    registry,
    log: logger,
    whileFull: 'the view serves the last state it has',
  });
  try {
    await view.start();
    etcdStatus.start();
    reconcile =
      env.REDIS_URL === undefined
        ? undefined
        : createReconcileClient({
            connection: env.REDIS_URL,
            timeoutMs: env.API_REDIS_TIMEOUT_MS,
            prefix: env.RECONCILE_QUEUE_PREFIX,
          });
    const redis = reconcile;
    // Both ports run them; the main port adds its view's own check, the metrics port the same one below.
    const dependencyChecks: ReadinessCheck[] = [
      { name: 'etcd', check: async () => etcdStatus.assertWritable() },
      ...(redis ? [{ name: 'redis', check: async () => (await redis.ping(), true) }] : []),
    ];
    const dashboard = await loadDashboardAssets();
    if (dashboard === undefined) logger.warn('the dashboard is not built: /ui is not served');
    const tokens = env.API_TOKENS ?? [];
    if (tokens.length === 0) logger.warn('API_TOKENS is not set: reads are unauthenticated and POST requests are refused');
    const app = await buildApiServer({
      view,
      tokens,
      publicDocs: env.API_PUBLIC_DOCS,
      ...(env.API_PUBLIC_URL === undefined ? {} : { publicUrl: env.API_PUBLIC_URL }),
      ...(reconcile ? { reconcile } : {}),
      ...(dashboard ? { dashboard } : {}),
      readinessChecks: dependencyChecks,
      metrics: registry,
      logger,
      pageLimits: { maxLimit: env.API_LIST_MAX_LIMIT },
      stream: { heartbeatMs: env.API_STREAM_HEARTBEAT_MS, maxBufferedBytes: env.API_STREAM_MAX_BUFFER_BYTES, maxClients: env.API_STREAM_MAX_CLIENTS },
      requestTimeoutMs: env.API_REQUEST_TIMEOUT_MS,
      listStallTimeoutMs: env.API_LIST_STALL_TIMEOUT_MS,
    });
    const url = await app.listen({ port: env.PORT, host: env.HOST });
    if (env.METRICS_PORT !== undefined) {
      ops = await startOpsServer({
        port: env.METRICS_PORT,
        host: env.HOST,
        registry,
        isShuttingDown: () => stopping,
        readiness: [
          {
            name: 'view',
            check: async () => {
              const problem = viewProblem(view);
              if (problem !== null) throw new Error(problem);
              return true;
            },
          },
          ...dependencyChecks,
        ],
      });
    }
    logger.info('api listening', { url, dashboard: dashboard === undefined ? null : `${url}/ui/`, metricsPort: ops?.port, revision: view.revision, reconcile: reconcile !== undefined, auth: tokens.length > 0 });
    const opsServer = ops;
    return {
      app,
      view,
      url,
      metricsPort: opsServer?.port,
      registry,
      async stop() {
        stopping = true;
        await app.close();
        await opsServer?.close();
        etcdStatus.stop();
        await view.stop();
        await reconcile?.close();
        client.close();
      },
    };
  } catch (error) {
    etcdStatus.stop();
    await ops?.close();
    await view.stop().catch(() => undefined);
    await reconcile?.close().catch(() => undefined);
    client.close();
    throw error;
  }
}
