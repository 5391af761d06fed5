import { normalizeService } from '@ecs-state/domain';
import { eventually } from '@ecs-state/test-support';
import { startHarness, type Harness } from './support/api-harness';
import { putStored, sampleService, serviceArn, serviceClusterArn, serviceTask } from './support/service-records';
import { StreamClient } from './support/stream-client';
import { task } from './support/records';
import { listenOnLoopback } from './support/listen-on-loopback';

interface Item {
  metadata: { entityVersion: string; deleted?: boolean };
  entity: Record<string, unknown>;
}

const FAILED_ROLLBACK = [
  { id: 'ecs-svc/web-2', status: 'PRIMARY', rolloutState: 'FAILED' },
  { id: 'ecs-svc/web-1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
] as const;

describe('services: list, get, stream, and the task filter', () => {
  let h: Harness;
  let base: string;
  let loaded: number;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    h = await startHarness('v1-services');
    base = await listenOnLoopback(h.app);
    loaded = await putStored(
      h,
      sampleService({
        name: 'web',
        cluster: 'alpha',
        launchType: 'FARGATE',
        // A new deployment rolling out while the previous one still runs: the filter reads the PRIMARY one.
        deployments: [
          { id: 'ecs-svc/web-2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
          { id: 'ecs-svc/web-1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
        ],
        events: [{ eventId: 'e2', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS', eventType: 'INFO', reason: 'ECS deployment ecs-svc/web-2 in progress.', time: '2024-05-01T10:05:00.000Z' }],
      }),
      sampleService({ name: 'api', cluster: 'alpha', launchType: 'EC2' }),
      sampleService({ name: 'worker', cluster: 'beta', status: 'DRAINING', deployments: FAILED_ROLLBACK }),
      serviceTask({ id: 'web1', cluster: 'alpha', service: 'web' }),
      serviceTask({ id: 'web2', cluster: 'alpha', service: 'web' }),
      serviceTask({ id: 'api1', cluster: 'alpha', service: 'api' }),
      task({ id: 'lone', cluster: 'alpha' }),
    );
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => h.close());

  async function get(url: string) {
    const res = await h.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.body, headers: res.headers, json: () => res.json() as { items: Item[]; revision: string; nextToken?: string } & Item };
  }
  const names = (body: { items: Item[] }) => body.items.map((item) => String(item.entity['serviceName'])).sort();

  it('lists services with their deployments and events, at the revision named in body and header', async () => {
    const res = await get('/v1/services');
    expect(res.status).toBe(200);
    const body = res.json();
    expect(names(body)).toEqual(['api', 'web', 'worker']);
    expect(body.revision).toBe(String(loaded));
    expect(res.headers['x-store-revision']).toBe(String(loaded));
    const web = body.items.find((item) => item.entity['serviceName'] === 'web');
    expect(web?.metadata.entityVersion).toMatch(/^[0-9]+$/);
    expect(web?.entity).toMatchObject({
      serviceARN: serviceArn('alpha', 'web'),
      clusterARN: serviceClusterArn('alpha'),
      status: 'ACTIVE',
      desiredCount: 2,
      launchType: 'FARGATE',
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      deployments: [
        { id: 'ecs-svc/web-2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS' },
        { id: 'ecs-svc/web-1', status: 'ACTIVE', rolloutState: 'COMPLETED' },
      ],
      events: [{ eventId: 'e2', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS', eventType: 'INFO' }],
    });
    expect(web?.entity).not.toHaveProperty('serviceArn');
  });

  it('filters by cluster, status, launch type and the rollout state of the PRIMARY deployment, in any case', async () => {
    expect(names((await get('/v1/services?cluster=alpha')).json())).toEqual(['api', 'web']);
    expect(names((await get(`/v1/services?cluster=${encodeURIComponent(serviceClusterArn('beta'))}`)).json())).toEqual(['worker']);
    expect(names((await get('/v1/services?status=draining')).json())).toEqual(['worker']);
    expect(names((await get('/v1/services?status=ACTIVE&launchType=fargate')).json())).toEqual(['web']);
    expect(names((await get('/v1/services?launchType=EC2')).json())).toEqual(['api']);
    // web's ACTIVE deployment is COMPLETED, but its PRIMARY one is still rolling out.
    expect(names((await get('/v1/services?rolloutState=completed')).json())).toEqual(['api']);
    expect(names((await get('/v1/services?rolloutState=IN_PROGRESS')).json())).toEqual(['web']);
    expect(names((await get('/v1/services?rolloutState=failed&cluster=beta')).json())).toEqual(['worker']);
    expect(names((await get('/v1/services?rolloutState=failed&cluster=alpha')).json())).toEqual([]);
  });

  it('pages with limit and nextToken, the token bound to the services listing', async () => {
    const first = (await get('/v1/services?limit=2')).json();
    expect(first.items).toHaveLength(2);
    const second = (await get(`/v1/services?limit=2&nextToken=${first.nextToken ?? ''}`)).json();
    expect(second.revision).toBe(first.revision);
    expect(second.nextToken).toBeUndefined();
    expect(names({ items: [...first.items, ...second.items] })).toEqual(['api', 'web', 'worker']);
    const taskPage = (await get('/v1/tasks?limit=1')).json();
    expect((await get(`/v1/services?limit=1&nextToken=${taskPage.nextToken ?? ''}`)).body).toBe('Invalid nextToken\n');
  });

  it('gets one service by name or ARN, in a cluster given by name or ARN', async () => {
    const arn = serviceArn('alpha', 'web');
    for (const url of [
      '/v1/services/alpha/web',
      `/v1/services/alpha/${encodeURIComponent(arn)}`,
      `/v1/services/alpha/${arn}`,
      `/v1/services/${encodeURIComponent(serviceClusterArn('alpha'))}/web`,
      // The old ARN format does not name the cluster.
      '/v1/services/alpha/arn:aws:ecs:us-west-2:111122223333:service/web',
    ]) {
      const res = await get(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers['x-store-revision']).toMatch(/^[0-9]+$/);
      expect(res.json().entity).toMatchObject({ serviceARN: arn, deployments: [{ rolloutState: 'IN_PROGRESS' }, { rolloutState: 'COMPLETED' }] });
    }
    expect((await get('/v1/services/beta/worker')).json().entity).toMatchObject({ status: 'DRAINING', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }] });
  });

  it('answers 404 Service not found and 400 for what cannot name a service, in plain text', async () => {
    const cases: [string, number, string][] = [
      ['/v1/services/alpha/nope', 404, 'Service not found'],
      ['/v1/services/beta/web', 404, 'Service not found'],
      ['/v1/services/unknown-cluster/web', 404, 'Service not found'],
      [`/v1/services/beta/${encodeURIComponent(serviceArn('alpha', 'web'))}`, 404, 'Service not found'],
      ['/v1/services/alpha/arn:aws:ecs:us-west-2:999999999999:service/alpha/web', 404, 'Service not found'],
      ['/v1/services//web', 404, 'Service not found'],
      ['/v1/services/alpha/bad.name', 400, 'Invalid service name or ARN'],
      ['/v1/services/alpha/arn:aws:ecs:us-west-2:111122223333:task/alpha/x', 400, 'Invalid service name or ARN'],
      ['/v1/services/bad%2Fcluster/web', 400, 'Invalid cluster ARN or name'],
      ['/v1/services?status=running', 400, 'Invalid status'],
      ['/v1/services?launchType=lambda', 400, 'Invalid launch type'],
      ['/v1/services?rolloutState=done', 400, 'Invalid rollout state'],
      ['/v1/services?group=x', 400, 'At least one of the filters provided is unsupported'],
      ['/v1/services?status=active&status=draining', 400, 'At least one of the filters provided is specified multiple times'],
      ['/v1/tasks?service=bad%20name', 400, 'Invalid service name or ARN'],
      ['/v1/stream/services?entityVersion=0', 400, 'Invalid entity version'],
    ];
    for (const [url, status, message] of cases) {
      const res = await get(url);
      expect([url, res.status, res.body, res.headers['content-type']]).toEqual([url, status, `${message}\n`, 'text/plain; charset=utf-8']);
    }
  });

  it('lists the tasks of a service with service=<name> (their group service:<name>)', async () => {
    const ids = async (url: string) =>
      (await get(url))
        .json()
        .items.map((item) => String(item.entity['taskARN']).split('/').pop())
        .sort();
    expect(await ids('/v1/tasks?service=web')).toEqual(['web1', 'web2']);
    expect(await ids('/v1/tasks?service=api&cluster=alpha')).toEqual(['api1']);
    expect(await ids('/v1/tasks?service=web&group=service:api')).toEqual([]);
    expect(await ids('/v1/tasks?service=nothing')).toEqual([]);
  });

  it('streams service changes only, from a list\'s revision, with tombstones when asked', async () => {
    const list = (await get('/v1/services?cluster=beta')).json();
    const stream = await StreamClient.open(`${base}/v1/stream/services?afterRevision=${list.revision}&tombstones=true`);
    clients.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers['x-store-revision']).toBe(list.revision);
    const rolledBack = sampleService({
      name: 'worker',
      cluster: 'beta',
      status: 'DRAINING',
      deployments: [{ id: 'ecs-svc/worker-1', status: 'PRIMARY', rolloutState: 'COMPLETED' }],
      events: [{ eventId: 'e9', eventName: 'SERVICE_DEPLOYMENT_FAILED', eventType: 'ERROR', reason: 'rolled back', time: '2024-05-01T10:09:00.000Z' }],
      describedAt: '2024-05-01T10:10:00.000Z',
    });
    await putStored(h, serviceTask({ id: 'worker1', cluster: 'beta', service: 'worker' }), rolledBack);
    await h.del(`${h.prefix}/services/aws/us-west-2/111122223333/beta/worker`);
    await eventually('stream.json().length >= 2', () => stream.json().length >= 2);
    const items = stream.json() as unknown as Item[];
    expect(items).toHaveLength(2);
    expect(items[0]?.entity).toMatchObject({ serviceName: 'worker', deployments: [{ rolloutState: 'COMPLETED' }], events: [{ eventName: 'SERVICE_DEPLOYMENT_FAILED' }] });
    expect(items[1]?.metadata.deleted).toBe(true);
    expect(items[1]?.entity['serviceName']).toBe('worker');
    await putStored(h, sampleService({ name: 'worker', cluster: 'beta', status: 'DRAINING', deployments: FAILED_ROLLBACK }));
  });

  it('reads a service known only from its events: the newest deployment, which has no status yet, is the PRIMARY one', async () => {
    const eventsOnly = normalizeService({
      serviceArn: serviceArn('gamma', 'fresh'),
      serviceName: 'fresh',
      clusterArn: serviceClusterArn('gamma'),
      deployments: [
        { id: 'ecs-svc/fresh-2', rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', updatedAt: '2024-05-01T11:00:00.000Z' },
        { id: 'ecs-svc/fresh-1', rolloutState: 'COMPLETED', updatedAt: '2024-05-01T10:00:00.000Z' },
      ],
      events: [{ eventId: 'f2', eventName: 'SERVICE_DEPLOYMENT_FAILED', eventType: 'ERROR', deploymentId: 'ecs-svc/fresh-2', time: '2024-05-01T11:00:00.000Z' }],
    });
    if (!eventsOnly.ok) throw new Error(eventsOnly.message);
    await putStored(h, { kind: 'service', record: eventsOnly.value });
    expect(names((await get('/v1/services?cluster=gamma&rolloutState=failed')).json())).toEqual(['fresh']);
    expect(names((await get('/v1/services?cluster=gamma&status=active')).json())).toEqual([]);
    const one = (await get('/v1/services/gamma/fresh')).json();
    expect(one.entity).toMatchObject({ serviceARN: serviceArn('gamma', 'fresh'), deployments: [{ rolloutState: 'FAILED' }, { rolloutState: 'COMPLETED' }] });
    expect(one.entity).not.toHaveProperty('status');
    await h.del(`${h.prefix}/services/aws/us-west-2/111122223333/gamma/fresh`);
  });

  it('counts services per cluster in the summary', async () => {
    const summary = (await h.app.inject({ url: '/v1/summary' })).json() as { clusters: { name: string; services: unknown }[] };
    const byName = Object.fromEntries(summary.clusters.map((cluster) => [cluster.name, cluster.services]));
    expect(byName['alpha']).toEqual({ total: 2, byStatus: { ACTIVE: 2 }, byRolloutState: { IN_PROGRESS: 1, COMPLETED: 1 } });
    expect(byName['beta']).toEqual({ total: 1, byStatus: { DRAINING: 1 }, byRolloutState: { FAILED: 1 } });
  });
});
