import { randomUUID } from 'node:crypto';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { allInstancesPrefix, allTasksPrefix, parseKeyPrefix } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore } from '@ecs-state/etcd-store';
import { testEtcdEndpoints, testRedisUrl } from '@ecs-state/local-services';
import { createReconcileClient, startReconcileWorker, type ReconcileClient, type ReconcileWorker } from '@ecs-state/reconcile-jobs';
import { createEcsClient, Reconciler, RequestBudget } from '@ecs-state/reconciliation';
import { buildApiServer, projectApiRecord, type ApiView } from '@ecs-state/rest-api';
import { createLogger } from '@ecs-state/service-runtime';
import { StateView } from '@ecs-state/state-view';
import { Etcd3 } from 'etcd3';
import type { FastifyInstance } from 'fastify';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const TOKEN = 'cli-test-token';

/**
 * What the CLI talks to, as deployed: the REST API (on a loopback port) over a real
 * Redis, a reconciler worker reconciling real etcd against the ECS simulator, and a
 * second API whose queue no worker serves, where runs stay queued.
 */
export interface CliWorld {
  sim: Simulator;
  /** ARN of a simulated cluster by name. */
  clusterArn(name: string): string;
  apiUrl: string;
  /** An API whose runs are never picked up. */
  idleApiUrl: string;
  close(): Promise<void>;
}

export async function startCliWorld(clusterNames: readonly string[]): Promise<CliWorld> {
  const sim = await startSimulator({ port: 0, region: 'us-east-1', eventQueue: null, ecs: { transitionDelayMs: 0 } });
  const admin = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
  const arns = new Map<string, string>();
  for (const name of clusterNames) {
    const created = await admin.send(new CreateClusterCommand({ clusterName: name }));
    arns.set(name, created.cluster?.clusterArn as string);
  }
  admin.destroy();

  const parsed = parseKeyPrefix(`/cli-${randomUUID().slice(0, 8)}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const prefix = parsed.value;
  const etcd = new Etcd3({ hosts: testEtcdEndpoints().split(',') });
  // One attempt per ECS call and per cluster: a fault makes a cluster fail at once.
  const ecs = createEcsClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: CREDENTIALS, maxAttempts: 1, budget: new RequestBudget(1000) });
  const reconciler = new Reconciler({ ecs, store: new ClusterStateStore({ client: etcd, prefix }) });
  const queuePrefix = `cli-${randomUUID().slice(0, 8)}`;
  const worker: ReconcileWorker = startReconcileWorker({
    connection: testRedisUrl(),
    prefix: queuePrefix,
    // One cluster at a time, so that progress moves one cluster at a time.
    concurrency: 1,
    clusterAttempts: 1,
    logger: createLogger('cli-test', 'error'),
    planClusters: (requested) => reconciler.planClusters(requested),
    reconcileCluster: (cluster, context) => reconciler.reconcileCluster(cluster, { signal: context.signal }),
  });

  const view: ApiView = new StateView({ client: etcd, prefix, probeIntervalMs: 100, project: projectApiRecord });
  await view.start();
  const clients: ReconcileClient[] = [];
  const apis: FastifyInstance[] = [];
  const api = async (queue: string): Promise<string> => {
    const reconcile = createReconcileClient({ connection: testRedisUrl(), prefix: queue });
    clients.push(reconcile);
    const app = await buildApiServer({ view, tokens: [TOKEN], reconcile });
    apis.push(app);
    return app.listen({ port: 0, host: '127.0.0.1' });
  };
  const apiUrl = await api(queuePrefix);
  const idleApiUrl = await api(`cli-idle-${randomUUID().slice(0, 8)}`);

  return {
    sim,
    clusterArn(name) {
      const arn = arns.get(name);
      if (arn === undefined) throw new Error(`no simulated cluster ${name}`);
      return arn;
    },
    apiUrl,
    idleApiUrl,
    async close() {
      await Promise.all(apis.map((app) => app.close()));
      await view.stop();
      await Promise.all(clients.map((client) => client.close()));
      await worker.close();
      ecs.destroy();
      await etcd.delete().prefix(allTasksPrefix(prefix));
      await etcd.delete().prefix(allInstancesPrefix(prefix));
      etcd.close();
      await sim.close();
    },
  };
}
