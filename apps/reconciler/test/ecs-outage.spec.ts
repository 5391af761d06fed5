import { eventually } from '@ecs-state/test-support';
import { randomUUID } from 'node:crypto';
import { allInstancesPrefix, allTasksPrefix, parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';
import { freePort } from '@ecs-state/local-services';
import type { ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { ServiceProcess } from '@ecs-state/test-services';
import { Etcd3 } from 'etcd3';
import { cpuShareOver } from './process-cpu';
import { SimulatorProcess } from './simulator-process';
import { CREDENTIALS, testEnv } from './support';

jest.setTimeout(180_000);

const ACCOUNT = '111122223333';
const TOKEN = 'outage-token';
const AUTH = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
/** Short ECS settings, so that an outage shows within seconds. */
const ECS_REQUEST_TIMEOUT_MS = 500;
const ECS_MAX_ATTEMPTS = 2;
const CLUSTER_ATTEMPTS = 2;
const RETRY_BACKOFF_MS = 200;
/**
 * The bound of a run while ECS is down, with the settings above: planning gives up on
 * ListClusters after 2 attempts of 0.5 s (plus an SDK retry pause under 0.2 s), then
 * both clusters at once (concurrency 2): 2 attempts of the same, 0.2 s apart. About 4 s;
 * the rest is slack for a slow, busy machine. With the default request timeout (10 s) instead
 * of the one set here, the same run takes over 40 s.
 */
const RUN_BOUND_MS = 30_000;
/** A loose bound on the reconciler's CPU while it waits for ECS: a busy loop would use a whole core. */
const IDLE_CPU_SHARE = 0.3;

interface Answer<T> {
  status: number;
  body: T;
}

async function call<T>(url: string, init: RequestInit = {}): Promise<Answer<T>> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

/**
 * The reconciler, the api and the ECS simulator, each a process of its own, on the
 * real etcd and Redis. ECS stalls (SIGSTOP) or goes away (SIGKILL): a run ends within
 * a bound, each cluster failed with a reason naming the ECS API, nothing stored
 * changes, the reconciler stays up, healthy, ready and idle, the api answers the
 * reconcile routes throughout; once ECS is back, the next run repairs what changed.
 */
describe('the reconciler while the ECS API is stalled or down', () => {
  let sim: SimulatorProcess;
  let reconciler: ServiceProcess;
  let api: ServiceProcess;
  let reconcilerExited = false;
  let opsUrl = '';
  let apiUrl = '';
  let etcd: Etcd3;
  let prefix: KeyPrefix;
  let clusters: string[];

  beforeAll(async () => {
    const parsed = parseKeyPrefix(`/outage-${randomUUID().slice(0, 8)}`);
    if (!parsed.ok) throw new Error(parsed.message);
    prefix = parsed.value;
    const queuePrefix = `outage-${randomUUID().slice(0, 8)}`;
    etcd = new Etcd3({ hosts: testEnv('TEST_ETCD_ENDPOINTS').split(',') });
    sim = new SimulatorProcess(await freePort(), ACCOUNT);
    await sim.start();
    clusters = await sim.populate(2, 12);

    const common = { ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'), ETCD_PREFIX: prefix, REDIS_URL: testEnv('TEST_REDIS_URL'), RECONCILE_QUEUE_PREFIX: queuePrefix };
    reconciler = new ServiceProcess({
      main: 'apps/reconciler/src/main.ts',
      readyMessage: 'reconciler started',
      env: {
        ...common,
        RECONCILE_INTERVAL: 'off',
        RECONCILE_CONCURRENCY: '2',
        RECONCILE_CLUSTER_ATTEMPTS: String(CLUSTER_ATTEMPTS),
        RECONCILE_RETRY_BACKOFF_MS: String(RETRY_BACKOFF_MS),
        ECS_REQUEST_TIMEOUT_MS: String(ECS_REQUEST_TIMEOUT_MS),
        ECS_MAX_ATTEMPTS: String(ECS_MAX_ATTEMPTS),
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECS: sim.endpoint,
        AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
        METRICS_PORT: '0',
      },
    });
    api = new ServiceProcess({
      main: 'apps/api/src/main.ts',
      readyMessage: 'api listening',
      env: { ...common, API_TOKENS: TOKEN, PORT: '0', HOST: '127.0.0.1' },
    });
    const [started, listening] = await Promise.all([reconciler.start(), api.start()]);
    void reconciler.exited().then(() => (reconcilerExited = true));
    opsUrl = `http://127.0.0.1:${String(started['opsPort'])}`;
    apiUrl = String(listening['url']);
    // The store was empty: the start-up reconcile fills it with what ECS has.
    await eventually('the start-up reconcile', async () => reconciler.logs.some((l) => l.message === 'reconcile run finished'), { timeoutMs: 60_000 });
    expect(await stored()).toEqual(await sim.expected(prefix));
  });

  afterAll(async () => {
    await Promise.all([reconciler?.kill(), api?.kill(), sim?.close()]);
    if (etcd !== undefined) {
      await Promise.all([allTasksPrefix(prefix), allInstancesPrefix(prefix)].map((p) => etcd.delete().prefix(p)));
      etcd.close();
    }
  });

  async function stored(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const root of [allTasksPrefix(prefix), allInstancesPrefix(prefix)]) {
      for (const [k, v] of Object.entries(await etcd.getAll().prefix(root).strings())) out.set(k, v);
    }
    return out;
  }

  /** Every stored key with the revision it was last written at. */
  async function modRevisions(): Promise<Map<string, string>> {
    const { kvs } = await etcd.getAll().prefix(`${prefix}/`).exec();
    return new Map(kvs.map((kv) => [kv.key.toString(), kv.mod_revision]));
  }

  /** POST /v1/reconcile of every cluster: always 202. */
  async function startRun(): Promise<string> {
    const answer = await call<{ id: string }>(`${apiUrl}/v1/reconcile`, { method: 'POST', headers: AUTH, body: '{}' });
    expect(answer.status).toBe(202);
    return answer.body.id;
  }

  /** Polls GET /v1/reconcile/{id} until the run is over; every answer must be a 200. */
  async function runOutcome(id: string): Promise<{ view: ReconcileRunView; statuses: Set<number> }> {
    const statuses = new Set<number>();
    const view = await eventually(`run ${id} to end`, async () => {
      const answer = await call<ReconcileRunView>(`${apiUrl}/v1/reconcile/${id}`, { headers: AUTH });
      statuses.add(answer.status);
      if (answer.status !== 200) return null;
      return answer.body.state === 'completed' || answer.body.state === 'failed' ? answer.body : null;
    }, { timeoutMs: 2 * RUN_BOUND_MS });
    return { view, statuses };
  }

  /**
   * A run while ECS is down, and everything around it that must hold. `failure` is how
   * the reports say it: `timed out` or `unreachable`, then what the SDK said.
   */
  async function runDuringOutage(failure: string): Promise<void> {
    const reason = new RegExp(`^ECS API ${failure}`.replace('OPERATION', 'DescribeClusters'));
    const planReason = new RegExp(`^ECS API ${failure}`.replace('OPERATION', 'ListClusters'));
    const before = await modRevisions();
    const started = performance.now();
    const id = await startRun();
    const pid = reconciler.pid as number;
    const [outcome, cpuShare] = await Promise.all([
      runOutcome(id),
      (async () => {
        const state = await eventually('the run to start', async () => {
          const answer = await call<ReconcileRunView>(`${apiUrl}/v1/reconcile/${id}`, { headers: AUTH });
          return answer.body.state === 'queued' ? null : answer.body.state;
        }, { timeoutMs: RUN_BOUND_MS });
        // A second request while the run is under way joins it.
        if (state === 'running') expect(await startRun()).toBe(id);
        return cpuShareOver(pid, 2000);
      })(),
    ]);
    const elapsed = performance.now() - started;

    expect(outcome.statuses).toEqual(new Set([200]));
    expect(elapsed).toBeLessThan(RUN_BOUND_MS);
    // Completed, with every cluster failed, each named, each saying that ECS did not answer.
    const report = outcome.view.report;
    expect(outcome.view.state).toBe('completed');
    expect(report?.clusters.map((c) => [c.cluster, c.outcome])).toEqual(clusters.map((c) => [c, 'failed']));
    for (const cluster of report?.clusters ?? []) expect(cluster.errors).toEqual([expect.stringMatching(reason)]);
    expect(report?.totals).toMatchObject({ clusters: 2, failedClusters: 2 });
    // An outage is not "the clusters are gone": nothing was written or deleted.
    expect(await modRevisions()).toEqual(before);

    expect(cpuShare).toBeLessThan(IDLE_CPU_SHARE);
    expect(reconcilerExited).toBe(false);
    expect((await call(`${opsUrl}/healthz`)).status).toBe(200);
    // ECS is not a readiness dependency: the replica can do nothing better than wait for it.
    expect((await call(`${opsUrl}/readyz`)).status).toBe(200);
    const planFailure = reconciler.logs.filter((l) => l.message === 'target planning failed: its stored clusters are planned instead').at(-1);
    expect(String(planFailure?.['error'])).toMatch(planReason);
  }

  /** The next run once ECS is back: completed, nothing failed, the store equals ECS again. */
  async function runAfterOutage(): Promise<ReconcileRunView> {
    const { view, statuses } = await runOutcome(await startRun());
    expect(statuses).toEqual(new Set([200]));
    expect(view.state).toBe('completed');
    expect(view.report?.totals.failedClusters).toBe(0);
    expect(await stored()).toEqual(await sim.expected(prefix));
    return view;
  }

  it('stalled (SIGSTOP): the run ends within the bound, every cluster failed as "ECS API timed out", nothing stored changed; the next run repairs the drift', async () => {
    // Drift the reconciler has not seen (the simulator publishes no events): tasks started and stopped, a record lost.
    await sim.runTasks(clusters[0] as string, 3);
    await sim.stopOneTask(clusters[1] as string);
    const [lost] = [...(await stored()).keys()].filter((k) => k.includes('/tasks/') && k.includes(`/${ACCOUNT}/c0/`));
    await etcd.delete().key(lost as string);

    sim.stall();
    try {
      await runDuringOutage('timed out: OPERATION got no answer after 2 attempts \\(.*requestTimeout');
    } finally {
      sim.resume();
    }

    const view = await runAfterOutage();
    expect(view.report?.totals.tasks).toMatchObject({ added: 4, updated: 1, deleted: 0 });
  });

  it('down (SIGKILL): the run ends at once, every cluster failed as "ECS API unreachable", nothing stored changed; restarted, the next run repairs the drift', async () => {
    await sim.kill();
    await runDuringOutage('unreachable: OPERATION failed after 2 attempts \\(.*ECONNREFUSED');

    // ECS back on the same address, its clusters still there, with other tasks than before.
    await sim.start();
    expect(await sim.populate(2, 5)).toEqual(clusters);
    const view = await runAfterOutage();
    expect(view.report?.totals.tasks).toMatchObject({ added: 10, deleted: 12 + 3 + 12 });
  });
});
