import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { testEtcdEndpoints, testRedisUrl } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';

jest.setTimeout(150_000);

const ROOT = join(__dirname, '../../..');

/** A service's main.ts as its own process; resolves once a log line matches `ready`. */
function startService(main: string, env: Record<string, string>, ready: RegExp): { child: ChildProcess; match: Promise<RegExpExecArray> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, main)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      const m = ready.exec(output);
      if (m) resolve(m);
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`${main} exited with ${code}: ${output}`)));
  });
  return { child, match };
}

describe('POST /v1/reconcile end to end: api, Redis, reconciler, ECS', () => {
  const prefix = `/e2e-reconcile-${randomUUID().slice(0, 8)}`;
  const queuePrefix = `e2e-${randomUUID().slice(0, 8)}`;
  const token = 'e2e-token';
  let sim: Simulator;
  const children: ChildProcess[] = [];
  let api: string;

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      region: 'us-east-1',
      eventQueue: null,
      workload: { clusters: 2, instancesPerCluster: 1, tasksPerCluster: 30, start: false, seed: 5 },
    });
    const store = { ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: prefix, REDIS_URL: testRedisUrl(), RECONCILE_QUEUE_PREFIX: queuePrefix };
    const reconciler = startService(
      'apps/reconciler/src/main.ts',
      {
        ...store,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECS: sim.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        RECONCILE_INTERVAL: 'off',
        RECONCILE_ON_EMPTY_STORE: 'false',
        METRICS_PORT: '0',
      },
      /"message":"reconciler started"/,
    );
    const apiProcess = startService(
      'apps/api/src/main.ts',
      { ...store, PORT: '0', HOST: '127.0.0.1', API_TOKENS: token },
      /"message":"api listening"[^\n]*"url":"([^"]+)"|"url":"([^"]+)"[^\n]*"message":"api listening"/,
    );
    children.push(reconciler.child, apiProcess.child);
    await reconciler.match;
    const m = await apiProcess.match;
    api = (m[1] ?? m[2])!;
  });

  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
    await sim.close();
  });

  const auth = { authorization: `Bearer ${token}` };

  it('enqueues a run for one cluster, reports its drift, and the api then serves what ECS has', async () => {
    const posted = await fetch(`${api}/v1/reconcile`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ clusters: ['workload-0'] }),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };

    type Run = { state: string; report: { clusters: { cluster: string; outcome: string; tasks: { added: number }; instances: { added: number } }[] } | null };
    const run = await eventually(
      `run ${id} to end`,
      async () => {
        const polled = (await (await fetch(`${api}/v1/reconcile/${id}`, { headers: auth })).json()) as Run;
        return polled.state === 'completed' || polled.state === 'failed' ? polled : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(run.state).toBe('completed');
    const truth = sim.ecs!.groundTruth();
    const cluster0 = truth.clusters.find((c) => c.clusterName === 'workload-0')!;
    const tasks = truth.tasks.filter((t) => t.clusterArn === cluster0.clusterArn);
    expect(run.report?.clusters).toEqual([
      expect.objectContaining({ cluster: cluster0.clusterArn, outcome: 'reconciled', tasks: expect.objectContaining({ added: tasks.length }) }),
    ]);

    // The api's view follows etcd: the reconciled cluster's tasks are listed, the other cluster was not touched.
    type Listed = { items: { entity: { taskARN: string } }[] };
    const listed = await eventually(
      "the api to list the reconciled cluster's tasks",
      async () => {
        const page = (await (await fetch(`${api}/v1/tasks?cluster=workload-0`, { headers: auth })).json()) as Listed;
        return page.items.length >= tasks.length ? page : undefined;
      },
      { timeoutMs: 45_000 },
    );
    expect(listed.items.map((i) => i.entity.taskARN).sort()).toEqual(tasks.map((t) => t.taskArn).sort());
    const other = (await (await fetch(`${api}/v1/tasks?cluster=workload-1`, { headers: auth })).json()) as Listed;
    expect(other.items).toEqual([]);
  });

  it('answers 404 for an unknown run and 401 without a token', async () => {
    expect((await fetch(`${api}/v1/reconcile/${randomUUID()}`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${api}/v1/reconcile`, { method: 'POST' })).status).toBe(401);
  });
});
