import { API_METRICS, VIEW_METRICS } from '../src/metrics/api-metrics';
import { task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';

describe('auth, reconcile, ops routes and the OpenAPI document', () => {
  let open: Harness;
  let secured: Harness;
  const enqueued: (readonly string[] | undefined)[] = [];

  beforeAll(async () => {
    open = await startHarness('open');
    secured = await startHarness('secured', {
      tokens: ['s3cret', 'other'],
      reconcile: {
        async enqueue(clusters) {
          enqueued.push(clusters);
          return { id: '6f1c2a52-3c1e-4b7e-9d2a-1b2c3d4e5f60', coalesced: false };
        },
        async get() {
          return null;
        },
        async list() {
          return [];
        },
      },
    });
    await secured.put(task({ id: 'sec1', cluster: 'c' }));
  });
  afterAll(async () => {
    await open.close();
    await secured.close();
  });

  it('without tokens: reads are open, POST is refused and says why', async () => {
    expect((await open.app.inject({ url: '/v1/tasks' })).statusCode).toBe(200);
    const post = await open.app.inject({ method: 'POST', url: '/v1/reconcile', payload: {} });
    expect([post.statusCode, post.body]).toEqual([403, 'POST requests are disabled: configure API_TOKENS to enable them\n']);
  });

  it('with tokens: every route but the probes needs a valid bearer token', async () => {
    const anonymous = await secured.app.inject({ url: '/v1/tasks' });
    expect([anonymous.statusCode, anonymous.body, anonymous.headers['www-authenticate']]).toEqual([401, 'Unauthorized\n', 'Bearer realm="ecs-state"']);
    expect((await secured.app.inject({ url: '/v1/tasks', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await secured.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await secured.app.inject({ url: '/v1/tasks', headers: { authorization: 'Bearer other' } })).statusCode).toBe(200);
    expect((await secured.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await secured.app.inject({ url: '/readyz' })).statusCode).toBeLessThan(600);
    expect((await secured.app.inject({ url: '/docs/json' })).statusCode).toBe(401);
  });

  it('can publish the OpenAPI document without a token, and nothing else', async () => {
    const docs = await startHarness('public-docs', { tokens: ['s3cret'], publicDocs: true });
    try {
      expect((await docs.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
      expect((await docs.app.inject({ url: '/v1/tasks' })).statusCode).toBe(401);
      expect((await docs.app.inject({ url: '/docsx' })).statusCode).toBe(401);
    } finally {
      await docs.close();
    }
  });

  it('POST /v1/reconcile enqueues with a token, validates the clusters, GET answers 404 for unknown runs', async () => {
    const auth = { authorization: 'Bearer s3cret' };
    const all = await secured.app.inject({ method: 'POST', url: '/v1/reconcile', headers: auth });
    expect([all.statusCode, all.json()]).toEqual([202, { id: '6f1c2a52-3c1e-4b7e-9d2a-1b2c3d4e5f60', coalesced: false }]);
    const some = await secured.app.inject({ method: 'POST', url: '/v1/reconcile', headers: auth, payload: { clusters: ['c', 'arn:aws:ecs:us-west-2:111122223333:cluster/d'] } });
    expect(some.statusCode).toBe(202);
    expect(enqueued).toEqual([undefined, ['c', 'arn:aws:ecs:us-west-2:111122223333:cluster/d']]);
    const bad = await secured.app.inject({ method: 'POST', url: '/v1/reconcile', headers: auth, payload: { clusters: ['no/slash'] } });
    expect([bad.statusCode, bad.body]).toEqual([400, 'Invalid cluster ARN or name\n']);
    const extra = await secured.app.inject({ method: 'POST', url: '/v1/reconcile', headers: auth, payload: { clusterz: [] } });
    expect(extra.statusCode).toBe(400);
    const missing = await secured.app.inject({ url: '/v1/reconcile/nope', headers: auth });
    expect([missing.statusCode, missing.body]).toEqual([404, 'Reconcile run not found\n']);
    expect((await open.app.inject({ url: '/v1/reconcile/x' })).statusCode).toBe(503);
  });

  it('readiness reflects the view; metrics count requests by route', async () => {
    const ready = await open.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, view: { inSync: true, etcdReachable: true } });
    const metrics = (await open.app.inject({ url: '/metrics' })).body;
    expect(metrics).toContain(`${API_METRICS.requests}{method="GET",route="/v1/tasks",status="200"`);
    expect(metrics).toMatch(new RegExp(`^${VIEW_METRICS.revision} [1-9]`, 'm'));
  });

  it('never leaks internals: unknown paths and bad JSON get plain messages', async () => {
    const missing = await open.app.inject({ url: '/nowhere' });
    expect([missing.statusCode, missing.body]).toEqual([404, 'Not found\n']);
    const badJson = await secured.app.inject({ method: 'POST', url: '/v1/reconcile', headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' }, payload: '{' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.body).not.toMatch(/\bat .*\.js/);
    expect(open.app.inject({ url: '/v1/tasks' }).then((r) => r.headers['access-control-allow-origin'])).resolves.toBeUndefined();
  });

  it('publishes an OpenAPI 3 document with every route, and Swagger UI', async () => {
    const doc = (await open.app.inject({ url: '/docs/json' })).json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/v1/tasks', '/v1/tasks/{cluster}/{arn}', '/v1/instances', '/v1/instances/{cluster}/{arn}', '/v1/stream/tasks', '/v1/stream/instances', '/v1/reconcile/{id}', '/healthz', '/readyz', '/metrics']) {
      expect(doc.paths[path]?.['get']?.responses).toBeDefined();
    }
    expect(doc.paths['/v1/reconcile']?.['post']).toBeDefined();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['TaskDetail', 'ContainerInstanceDetail', 'Tasks']));
    expect((await open.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});
