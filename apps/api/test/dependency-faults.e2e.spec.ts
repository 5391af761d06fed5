import { eventually } from '@ecs-state/test-support';
import { randomUUID } from 'node:crypto';
import { parseKeyPrefix } from '@ecs-state/domain';
import { createEtcdClient, stateRecordCodec, VersionedRecordStore } from '@ecs-state/etcd-store';
import { startEtcd, startRedis, type EtcdServer, type RedisServer } from '@ecs-state/local-services';
import { sampleInstance, sampleTask } from '@ecs-state/test-services';
import { ApiProcess } from './support/api-process';
import { callRoute, type RouteAnswer, type RouteCall } from './support/route-answer';

jest.setTimeout(120_000);

const TOKEN = 'faults-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };
/** Short enough for outages to show within seconds, long enough for a busy machine's answers when nothing is down. */
const ETCD_REQUEST_TIMEOUT_MS = 2000;
const API_REDIS_TIMEOUT_MS = 2000;
/**
 * What a bounded answer may take beyond its timeout on a slow, busy machine (13 requests at
 * once); an unbounded one hangs until callRoute gives up at 15 s.
 */
const SLACK_MS = 4000;
/**
 * The view counts etcd unreachable once no probe has answered for this long. A busy machine
 * can delay a 100 ms probe by more than half a second, which made /readyz answer 503 with
 * etcd up; an outage is still noticed within seconds.
 */
const VIEW_MAX_STALENESS_MS = 3000;
const TASK_ARN = 'arn:aws:ecs:us-west-2:111122223333:task/faults/f1';
const INSTANCE_ARN = 'arn:aws:ecs:us-east-1:111122223333:container-instance/i1';

type RouteName =
  | 'healthz' | 'readyz' | 'metrics' | 'docs'
  | 'listTasks' | 'getTask' | 'listInstances' | 'getInstance'
  | 'streamTasksNow' | 'streamTasksFromEtcd' | 'streamInstancesFromEtcd'
  | 'startReconcile' | 'getReconcile';

/** Every route of the api, with a request that exercises what it depends on. */
function routes(runId: string): Record<RouteName, RouteCall> {
  return {
    healthz: { path: '/healthz' },
    readyz: { path: '/readyz' },
    metrics: { path: '/metrics', headers: AUTH },
    docs: { path: '/docs/json', headers: AUTH },
    listTasks: { path: '/v1/tasks?cluster=faults', headers: AUTH },
    getTask: { path: `/v1/tasks/faults/${encodeURIComponent(TASK_ARN)}`, headers: AUTH },
    listInstances: { path: '/v1/instances?cluster=faults', headers: AUTH },
    getInstance: { path: `/v1/instances/faults/${encodeURIComponent(INSTANCE_ARN)}`, headers: AUTH },
    // From now: served from memory.
    streamTasksNow: { path: '/v1/stream/tasks', headers: AUTH, stream: { firstItem: false } },
    // From before the view's history: the only request that needs etcd.
    streamTasksFromEtcd: { path: '/v1/stream/tasks?afterRevision=1', headers: AUTH, stream: { firstItem: true } },
    streamInstancesFromEtcd: { path: '/v1/stream/instances?afterRevision=1', headers: AUTH, stream: { firstItem: true } },
    startReconcile: { method: 'POST', path: '/v1/reconcile', headers: AUTH, body: { clusters: ['faults'] } },
    getReconcile: { path: `/v1/reconcile/${runId}`, headers: AUTH },
  };
}

const NORMAL: Record<RouteName, number> = {
  healthz: 200, readyz: 200, metrics: 200, docs: 200,
  listTasks: 200, getTask: 200, listInstances: 200, getInstance: 200,
  streamTasksNow: 200, streamTasksFromEtcd: 200, streamInstancesFromEtcd: 200,
  startReconcile: 202, getReconcile: 200,
};

/** A 503 that names the dependency, says when to retry, and comes within `boundMs`. */
interface Unavailable {
  readonly body: RegExp;
  readonly boundMs: number;
}

const ETCD_DOWN: Partial<Record<RouteName, Unavailable>> = {
  readyz: { body: /"checks":\[\{"name":"view","ok":false,"reason":"etcd unreachable"\}/, boundMs: SLACK_MS },
  streamTasksFromEtcd: { body: /^etcd is unavailable; retry later\n$/, boundMs: ETCD_REQUEST_TIMEOUT_MS + SLACK_MS },
  streamInstancesFromEtcd: { body: /^etcd is unavailable; retry later\n$/, boundMs: ETCD_REQUEST_TIMEOUT_MS + SLACK_MS },
};

const REDIS_DOWN: Partial<Record<RouteName, Unavailable>> = {
  readyz: { body: /\{"name":"redis","ok":false,"reason":"[^"]+"\}/, boundMs: API_REDIS_TIMEOUT_MS + SLACK_MS },
  startReconcile: { body: /^Redis is unavailable; retry later\n$/, boundMs: API_REDIS_TIMEOUT_MS + SLACK_MS },
  getReconcile: { body: /^Redis is unavailable; retry later\n$/, boundMs: API_REDIS_TIMEOUT_MS + SLACK_MS },
};

/** Status, and for a 503 its text, Retry-After and whether it came in time, per route: one object to compare. */
function summary(answers: Record<RouteName, RouteAnswer>, unavailable: Partial<Record<RouteName, Unavailable>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(answers).map(([name, answer]) => {
      const expected = unavailable[name as RouteName];
      if (expected === undefined || answer.status !== 503) return [name, answer.status];
      return [name, { status: 503, namesDependency: expected.body.test(answer.body), retryAfter: answer.retryAfter, inTime: answer.ms < expected.boundMs }];
    }),
  );
}

function expectedSummary(unavailable: Partial<Record<RouteName, Unavailable>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(NORMAL).map(([name, status]) =>
      unavailable[name as RouteName] === undefined ? [name, status] : [name, { status: 503, namesDependency: true, retryAfter: '5', inTime: true }],
    ),
  );
}

/**
 * Every route against a real api process whose etcd or Redis is stalled
 * (SIGSTOP: connections stay open, nothing answers) or down (SIGKILL:
 * connections refused), then back. Only the routes that need the missing
 * dependency answer 503, naming it, with Retry-After and within the configured
 * timeouts; none answers 500; all answer normally once it is back.
 */
describe('the api while etcd or Redis is stalled or down', () => {
  let etcd: EtcdServer;
  let redis: RedisServer;
  let api: ApiProcess;
  let calls: Record<RouteName, RouteCall>;

  beforeAll(async () => {
    [etcd, redis] = await Promise.all([startEtcd(), startRedis({ persistent: true })]);
    const prefix = parseKeyPrefix(`/faults-${randomUUID().slice(0, 8)}`);
    if (!prefix.ok) throw new Error(prefix.message);
    const client = createEtcdClient({ endpoints: [etcd.endpoint], prefix: prefix.value, dialTimeoutMs: 1000, requestTimeoutMs: 5000 });
    const store = new VersionedRecordStore({ client, codec: stateRecordCodec(prefix.value) });
    // More changes than the view's history keeps: a stream from revision 1 needs etcd.
    await store.upsertIfNewer([sampleTask({ id: 'f1', cluster: 'faults' }), sampleInstance({ id: 'i1', cluster: 'faults' })]);
    for (let version = 2; version <= 4; version++) await store.upsertIfNewer([sampleTask({ id: 'f1', cluster: 'faults', version })]);
    client.close();

    api = new ApiProcess({
      etcdEndpoints: etcd.endpoint,
      etcdPrefix: prefix.value,
      env: {
        API_TOKENS: TOKEN,
        REDIS_URL: redis.url,
        RECONCILE_QUEUE_PREFIX: `faults-${randomUUID().slice(0, 8)}`,
        ETCD_DIAL_TIMEOUT_MS: '1000',
        ETCD_REQUEST_TIMEOUT_MS: String(ETCD_REQUEST_TIMEOUT_MS),
        API_REDIS_TIMEOUT_MS: String(API_REDIS_TIMEOUT_MS),
        VIEW_HISTORY_SIZE: '2',
        VIEW_PROBE_INTERVAL_MS: '100',
        VIEW_MAX_STALENESS_MS: String(VIEW_MAX_STALENESS_MS),
      },
    });
    await api.start();
    // The api's first Redis call connects; on a busy machine that may take longer than API_REDIS_TIMEOUT_MS.
    const started = await eventually('a reconcile run to be accepted', async () => {
      const answer = await callRoute(api.url, { method: 'POST', path: '/v1/reconcile', headers: AUTH, body: { clusters: ['faults'] } });
      return answer.status === 202 ? answer : undefined;
    }, { timeoutMs: 45_000, intervalMs: 200 });
    calls = routes((JSON.parse(started.body) as { id: string }).id);
    // With both dependencies up, every route answers normally: what the outages are compared with.
    expect(summary(await everyRouteNormal(), {})).toEqual(expectedSummary({}));
  });

  afterAll(async () => {
    etcd?.resume();
    redis?.resume();
    await api?.kill();
    await Promise.all([etcd?.stop(), redis?.stop()]);
  });

  const answerAll = async (): Promise<Record<RouteName, RouteAnswer>> => {
    const names = Object.keys(calls) as RouteName[];
    const answers = await Promise.all(names.map((name) => callRoute(api.url, calls[name])));
    return Object.fromEntries(names.map((name, i) => [name, answers[i]])) as Record<RouteName, RouteAnswer>;
  };

  /** Once the api has noticed the outage (readiness lags by its probe interval), every route at once. */
  const duringOutage = async (unavailable: Partial<Record<RouteName, Unavailable>>) => {
    await eventually('/readyz to report the outage', async () => ((await callRoute(api.url, calls.readyz)).status === 503 ? true : undefined), { timeoutMs: 30_000, intervalMs: 200 });
    expect(summary(await answerAll(), unavailable)).toEqual(expectedSummary(unavailable));
  };

  /** Every route at once, until each answers normally. */
  const everyRouteNormal = () =>
    eventually('every route to answer normally', async () => {
      const all = await answerAll();
      return Object.entries(all).every(([name, answer]) => answer.status === NORMAL[name as RouteName]) ? all : undefined;
    }, { timeoutMs: 45_000, intervalMs: 200 });

  /** Back to normal: every route as before the outage (the etcd client's breaker may hold a few seconds). */
  const afterwards = async () => {
    const answers = await everyRouteNormal();
    expect(answers.streamTasksFromEtcd.body).toContain('"taskARN":"arn:aws:ecs:us-west-2:111122223333:task/faults/f1"');
    expect(answers.streamInstancesFromEtcd.body).toContain(`"containerInstanceARN":"${INSTANCE_ARN}"`);
  };

  it('etcd stalled (SIGSTOP): a stream from before the history answers 503 naming etcd within ETCD_REQUEST_TIMEOUT_MS; the rest as usual', async () => {
    etcd.pause();
    try {
      await duringOutage(ETCD_DOWN);
    } finally {
      etcd.resume();
    }
    await afterwards();
  });

  it('etcd down (SIGKILL): the same, and all normal once it has restarted', async () => {
    await etcd.kill();
    try {
      await duringOutage(ETCD_DOWN);
    } finally {
      await etcd.start();
    }
    await afterwards();
  });

  it('Redis stalled (SIGSTOP): the reconcile routes answer 503 naming Redis within API_REDIS_TIMEOUT_MS; the rest as usual', async () => {
    redis.pause();
    try {
      await duringOutage(REDIS_DOWN);
    } finally {
      redis.resume();
    }
    await afterwards();
  });

  it('Redis down (SIGKILL): the same, and the run enqueued before is readable again once it has restarted', async () => {
    await redis.kill();
    try {
      await duringOutage(REDIS_DOWN);
    } finally {
      await redis.start();
    }
    await afterwards();
  });
});
