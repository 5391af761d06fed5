import { randomUUID } from 'node:crypto';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { allTasksPrefix, parseKeyPrefix } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore } from '@ecs-state/etcd-store';
import { startReconcileWorker, type ReconcileRunView, type ReconcileWorker } from '@ecs-state/reconcile-jobs';
import { createEcsClient, Reconciler, RequestBudget } from '@ecs-state/reconciliation';
import { createLogger } from '@ecs-state/service-runtime';
import { Etcd3 } from 'etcd3';
import { runCli } from '../src/run-cli';

jest.setTimeout(30_000);

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (jest globalSetup)`);
  return value;
}

async function cli(args: string[], extraEnv: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { env: extraEnv, out: (t) => out.push(t), err: (t) => err.push(t), pollMs: 50 });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('ecs-state CLI', () => {
  let sim: Simulator;
  let etcd: Etcd3;
  let ecs: ECSClient;
  let worker: ReconcileWorker;
  const queuePrefix = `cli-${randomUUID().slice(0, 8)}`;
  const parsed = parseKeyPrefix(`/cli-${randomUUID().slice(0, 8)}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const prefix = parsed.value;
  let cliEnv: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, ecs: { transitionDelayMs: 0 } });
    const admin = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 });
    for (const name of ['alpha', 'beta']) {
      await admin.send(new CreateClusterCommand({ clusterName: name }));
    }
    admin.destroy();
    etcd = new Etcd3({ hosts: env('TEST_ETCD_ENDPOINTS').split(',') });
    ecs = createEcsClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: CREDENTIALS, maxAttempts: 3, budget: new RequestBudget(1000) });
    const reconciler = new Reconciler({ ecs, store: new ClusterStateStore({ client: etcd, prefix }) });
    worker = startReconcileWorker({
      connection: env('TEST_REDIS_URL'),
      prefix: queuePrefix,
      concurrency: 2,
      logger: createLogger('cli-test', 'error'),
      planClusters: (requested) => reconciler.planClusters(requested),
      reconcileCluster: (cluster, context) => reconciler.reconcileCluster(cluster, { signal: context.signal }),
    });
    cliEnv = { REDIS_URL: env('TEST_REDIS_URL'), RECONCILE_QUEUE_PREFIX: queuePrefix };
  });

  afterAll(async () => {
    await worker.close();
    ecs.destroy();
    await etcd.delete().prefix(allTasksPrefix(prefix));
    etcd.close();
    await sim.close();
  });

  it('triggers a reconcile of chosen clusters, waits for it and prints the drift report', async () => {
    const result = await cli(['reconcile', '--cluster', 'alpha', '--wait'], cliEnv);

    expect(result.code).toBe(0);
    const view = JSON.parse(result.out) as ReconcileRunView;
    expect(view.state).toBe('completed');
    expect(view.requestedClusters).toEqual(['alpha']);
    expect(view.report?.clusters.map((c) => c.cluster)).toEqual(['arn:aws:ecs:us-east-1:000000000000:cluster/alpha']);

    const status = await cli(['status', view.id], cliEnv);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.out) as ReconcileRunView).report).toEqual(view.report);
  });

  it('without --wait prints the run id at once; status follows it', async () => {
    const result = await cli(['reconcile'], cliEnv);
    expect(result.code).toBe(0);
    const { id, coalesced } = JSON.parse(result.out) as { id: string; coalesced: boolean };
    expect(coalesced).toBe(false);
    const status = await cli(['status', id], cliEnv);
    expect(status.code).toBe(0);
    expect((JSON.parse(status.out) as ReconcileRunView).id).toBe(id);
  });

  it('reports usage and configuration errors with status 2, unknown runs with 1', async () => {
    expect((await cli(['frobnicate'], cliEnv)).code).toBe(2);
    expect((await cli(['status'], cliEnv)).code).toBe(2);
    expect((await cli(['status', 'not-an-id'], cliEnv)).code).toBe(2);
    expect((await cli(['reconcile'], {})).code).toBe(2);
    const unknown = await cli(['status', randomUUID()], cliEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no run');
  });
});
