import type { AddressInfo } from 'node:net';
import { RedisUnavailableError, type ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { StateView } from '@ecs-state/state-view';
import { loadV1Specification, eventually } from '@ecs-state/test-support';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Registry } from 'prom-client';
import { buildApiServer, projectApiRecord, type ReconcileService } from '../src';
import { startHarness, type Harness } from './support/api-harness';
import { instance, newClient, task, uniquePrefix, writer } from './support/records';
import { putStored, sampleService, serviceClusterArn } from './support/service-records';
import { exchange } from './support/raw-http';
import { StreamClient } from './support/stream-client';

interface Operation {
  operationId?: string;
  security?: { bearerAuth?: string[] }[];
  responses: Record<string, unknown>;
}
interface OpenApiDocument {
  servers?: { url: string }[];
  security?: { bearerAuth?: string[] }[];
  paths: Record<string, Record<string, Operation>>;
}

const TOKEN = 's3cret';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const TASK_ARN = 'arn:aws:ecs:us-west-2:111122223333:task/c/doc1';
const INSTANCE_ARN = 'arn:aws:ecs:us-east-1:111122223333:container-instance/doc1';
const SERVICE_ARN = 'arn:aws:ecs:us-west-2:111122223333:service/c/doc1';
const RUN: ReconcileRunView = {
  id: 'known',
  state: 'completed',
  trigger: 'manual',
  requestedClusters: null,
  requestedAt: '2024-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  plannedClusters: null,
  report: null,
  error: null,
};

/**
 * A reconcile queue that fails on demand, so that the routes' 500 (a failure nobody
 * expected) and 503 (the queue's Redis unavailable) answers can be reached.
 */
/** Run list sizes at which the queue below fails. */
const UNREACHABLE_LIMIT = 98;
const BROKEN_LIMIT = 99;

const reconcile: ReconcileService = {
  async enqueue(clusters) {
    if (clusters?.includes('unreachable')) throw new RedisUnavailableError('Redis did not answer');
    if (clusters?.includes('broken')) throw new Error('a bug');
    return { id: 'queued', coalesced: false };
  },
  async get(id) {
    if (id === 'unreachable') throw new RedisUnavailableError('Redis did not answer');
    if (id === 'broken') throw new Error('a bug');
    return id === RUN.id ? RUN : null;
  },
  async list(limit) {
    if (limit === UNREACHABLE_LIMIT) throw new RedisUnavailableError('Redis did not answer');
    if (limit === BROKEN_LIMIT) throw new Error('a bug');
    return [RUN];
  },
};

/**
 * A server whose etcd client is closed after its view has loaded: reads are served from
 * memory, but a stream from before the view's history, which needs etcd, answers 503.
 */
async function etcdlessServer(): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const client = newClient();
  const prefix = uniquePrefix('openapi-etcdless');
  // The view loads after these writes, so revision 1 is older than its history.
  await writer(client, prefix).upsertIfNewer([task({ id: 'etcdless', cluster: 'c' })]);
  const view = new StateView({ client, prefix, historySize: 1, project: projectApiRecord });
  await view.start();
  const app = await buildApiServer({ view, metrics: new Registry() });
  client.close();
  return {
    app,
    async close() {
      await app.close();
      await view.stop();
    },
  };
}

/** A server whose view was never started: every read answers 503. */
async function idleServer(options: { tokens: string[] }): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const client = newClient();
  const view = new StateView({ client, prefix: uniquePrefix('openapi-idle'), project: projectApiRecord });
  const app = await buildApiServer({ view, metrics: new Registry(), ...options });
  return {
    app,
    async close() {
      await app.close();
      client.close();
    },
  };
}

describe('the OpenAPI document', () => {
  let secured: Harness;
  let url: string;
  let idle: Awaited<ReturnType<typeof idleServer>>;
  let open: Awaited<ReturnType<typeof idleServer>>;
  let etcdless: Awaited<ReturnType<typeof etcdlessServer>>;
  let port: number;
  let doc: OpenApiDocument;
  const expiredTokens: Record<string, string> = {};

  beforeAll(async () => {
    secured = await startHarness('openapi-statuses', { tokens: [TOKEN], reconcile, historySize: 3, stream: { maxClients: 1 }, requestTimeoutMs: 1000 });
    await secured.app.listen({ port: 0, host: '127.0.0.1' });
    port = (secured.app.server.address() as AddressInfo).port;
    url = `http://127.0.0.1:${port}`;
    idle = await idleServer({ tokens: [TOKEN] });
    open = await idleServer({ tokens: [] });
    etcdless = await etcdlessServer();
    doc = (await secured.app.inject({ url: '/docs/json', headers: AUTH })).json() as OpenApiDocument;

    await secured.put(task({ id: 'doc1', cluster: 'c' }), task({ id: 'doc2', cluster: 'c' }), instance({ id: 'doc1', cluster: 'c' }), instance({ id: 'doc2', cluster: 'c' }));
    const tasks = (await secured.app.inject({ url: '/v1/tasks?limit=1', headers: AUTH })).json() as { nextToken: string };
    const instances = (await secured.app.inject({ url: '/v1/instances?limit=1', headers: AUTH })).json() as { nextToken: string };
    await putStored(secured, sampleService({ name: 'doc1', cluster: 'c' }), sampleService({ name: 'doc2', cluster: 'c' }));
    const services = (await secured.app.inject({ url: '/v1/services?limit=1', headers: AUTH })).json() as { nextToken: string };
    // More changes than the view keeps (3): both tokens expire.
    for (let version = 2; version <= 5; version++) await secured.put(task({ id: 'doc2', cluster: 'c', version }));
    Object.assign(expiredTokens, { tasks: tasks.nextToken, instances: instances.nextToken, services: services.nextToken });
  });
  afterAll(async () => {
    await secured?.close();
    await idle?.close();
    await open?.close();
    await etcdless?.close();
  });

  /** The servers exist only once beforeAll has run, hence the getters. */
  const inject = (app: () => FastifyInstance, options: InjectOptions | (() => InjectOptions)) => async () =>
    (await app().inject(typeof options === 'function' ? options() : options)).statusCode;
  const securedApp = () => secured.app;
  const idleApp = () => idle.app;
  const openApp = () => open.app;
  const etcdlessApp = () => etcdless.app;
  /** A request on a raw connection, for what only a real socket shows: its status. */
  const raw = (request: string) => async () => (await exchange(port, request, 5000, 1)).responses[0]?.status ?? 0;
  const rawGet = (path: string) => raw(`GET ${path} HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
  const expired = (kind: 'tasks' | 'instances' | 'services') => expiredTokens[kind] as string;

  /**
   * With a cap of one stream client: the first is served (200), a second one refused (503).
   * Without etcd, a start before the view's history is refused too (503).
   */
  const streamStatuses = (path: string) => {
    let statuses: Promise<{ first: number; second: number }> | undefined;
    const run = async () => {
      await eventually('secured.view.status().subscribers === 0', () => secured.view.status().subscribers === 0, { timeoutMs: 5000 });
      const first = await StreamClient.open(`${url}${path}`, AUTH);
      try {
        const second = await fetch(`${url}${path}`, { headers: AUTH });
        await second.body?.cancel();
        return { first: first.status, second: second.status };
      } finally {
        first.close();
      }
    };
    return {
      200: async () => (await (statuses ??= run())).first,
      503: [async () => (await (statuses ??= run())).second, inject(etcdlessApp, { url: `${path}?afterRevision=1` })],
    };
  };

  /**
   * Every status each route is known to give, with a request that gets it (several
   * when a status has several causes). A route of the document missing here fails
   * the test, so a new route has to say what it answers.
   */
  type Provoke = () => Promise<number>;
  const EMITTED: Record<string, Record<number, Provoke | readonly Provoke[]>> = {
    'get /v1/tasks': {
      200: inject(securedApp, { url: '/v1/tasks', headers: AUTH }),
      400: inject(securedApp, { url: '/v1/tasks?color=red', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/tasks' }),
      410: inject(securedApp, () => ({ url: `/v1/tasks?limit=1&nextToken=${encodeURIComponent(expired('tasks'))}`, headers: AUTH })),
      503: inject(idleApp, { url: '/v1/tasks', headers: AUTH }),
    },
    'get /v1/tasks/{cluster}/{arn}': {
      200: inject(securedApp, { url: `/v1/tasks/c/${encodeURIComponent(TASK_ARN)}`, headers: AUTH }),
      400: inject(securedApp, { url: '/v1/tasks/c/not-an-arn', headers: AUTH }),
      401: inject(securedApp, { url: `/v1/tasks/c/${encodeURIComponent(TASK_ARN)}` }),
      404: inject(securedApp, { url: `/v1/tasks/other/${encodeURIComponent(TASK_ARN)}`, headers: AUTH }),
      414: rawGet(`/v1/tasks/${'c'.repeat(2049)}/${encodeURIComponent(TASK_ARN)}`),
      503: inject(idleApp, { url: `/v1/tasks/c/${encodeURIComponent(TASK_ARN)}`, headers: AUTH }),
    },
    'get /v1/instances': {
      200: inject(securedApp, { url: '/v1/instances', headers: AUTH }),
      400: inject(securedApp, { url: '/v1/instances?status=a&status=b', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/instances' }),
      410: inject(securedApp, () => ({ url: `/v1/instances?limit=1&nextToken=${encodeURIComponent(expired('instances'))}`, headers: AUTH })),
      503: inject(idleApp, { url: '/v1/instances', headers: AUTH }),
    },
    'get /v1/instances/{cluster}/{arn}': {
      200: inject(securedApp, { url: `/v1/instances/c/${encodeURIComponent(INSTANCE_ARN)}`, headers: AUTH }),
      400: inject(securedApp, { url: '/v1/instances/c/not-an-arn', headers: AUTH }),
      401: inject(securedApp, { url: `/v1/instances/c/${encodeURIComponent(INSTANCE_ARN)}` }),
      404: inject(securedApp, { url: `/v1/instances/other/${encodeURIComponent(INSTANCE_ARN)}`, headers: AUTH }),
      414: rawGet(`/v1/instances/${'c'.repeat(2049)}/${encodeURIComponent(INSTANCE_ARN)}`),
      503: inject(idleApp, { url: `/v1/instances/c/${encodeURIComponent(INSTANCE_ARN)}`, headers: AUTH }),
    },
    'get /v1/services': {
      200: inject(securedApp, { url: '/v1/services', headers: AUTH }),
      400: inject(securedApp, { url: '/v1/services?rolloutState=done', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/services' }),
      410: inject(securedApp, () => ({ url: `/v1/services?limit=1&nextToken=${encodeURIComponent(expired('services'))}`, headers: AUTH })),
      503: inject(idleApp, { url: '/v1/services', headers: AUTH }),
    },
    'get /v1/services/{cluster}/{service}': {
      200: [
        inject(securedApp, { url: '/v1/services/c/doc1', headers: AUTH }),
        inject(securedApp, { url: `/v1/services/${encodeURIComponent(serviceClusterArn('c'))}/${encodeURIComponent(SERVICE_ARN)}`, headers: AUTH }),
      ],
      400: inject(securedApp, { url: '/v1/services/c/not.a.name', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/services/c/doc1' }),
      404: inject(securedApp, { url: '/v1/services/other/doc1', headers: AUTH }),
      414: rawGet(`/v1/services/${'c'.repeat(2049)}/doc1`),
      503: inject(idleApp, { url: '/v1/services/c/doc1', headers: AUTH }),
    },
    'get /v1/stream/services': {
      ...streamStatuses('/v1/stream/services'),
      400: inject(securedApp, { url: '/v1/stream/services?afterRevision=-1', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/stream/services' }),
    },
    'get /v1/stream/tasks': {
      ...streamStatuses('/v1/stream/tasks'),
      400: inject(securedApp, { url: '/v1/stream/tasks?entityVersion=abc', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/stream/tasks' }),
    },
    'get /v1/stream/instances': {
      ...streamStatuses('/v1/stream/instances'),
      400: inject(securedApp, { url: '/v1/stream/instances?entityVersion=0', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/stream/instances' }),
    },
    'get /v1/summary': {
      200: inject(securedApp, { url: '/v1/summary', headers: AUTH }),
      400: inject(securedApp, { url: '/v1/summary?cluster=c', headers: AUTH }),
      401: inject(securedApp, { url: '/v1/summary' }),
      503: inject(idleApp, { url: '/v1/summary', headers: AUTH }),
    },
    'post /v1/reconcile': {
      202: inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: AUTH }),
      400: inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{' }),
      401: inject(securedApp, { method: 'POST', url: '/v1/reconcile' }),
      403: inject(openApp, { method: 'POST', url: '/v1/reconcile' }),
      413: inject(securedApp, {
        method: 'POST',
        url: '/v1/reconcile',
        headers: { ...AUTH, 'content-type': 'application/json' },
        payload: JSON.stringify({ clusters: ['c'.repeat(70 * 1024)] }),
      }),
      408: raw(`POST /v1/reconcile HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{`),
      415: [
        inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<clusters/>' }),
        inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: { ...AUTH, 'content-type': 'application/json; charset=latin1' }, payload: '{}' }),
      ],
      500: inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: AUTH, payload: { clusters: ['broken'] } }),
      503: [
        inject(idleApp, { method: 'POST', url: '/v1/reconcile', headers: AUTH }),
        inject(securedApp, { method: 'POST', url: '/v1/reconcile', headers: AUTH, payload: { clusters: ['unreachable'] } }),
      ],
    },
    'get /v1/reconcile': {
      200: inject(securedApp, { url: '/v1/reconcile?limit=5', headers: AUTH }),
      400: [inject(securedApp, { url: '/v1/reconcile?limit=0', headers: AUTH }), inject(securedApp, { url: '/v1/reconcile?state=queued', headers: AUTH })],
      401: inject(securedApp, { url: '/v1/reconcile' }),
      500: inject(securedApp, { url: `/v1/reconcile?limit=${BROKEN_LIMIT}`, headers: AUTH }),
      503: [inject(idleApp, { url: '/v1/reconcile', headers: AUTH }), inject(securedApp, { url: `/v1/reconcile?limit=${UNREACHABLE_LIMIT}`, headers: AUTH })],
    },
    'get /v1/reconcile/{id}': {
      200: inject(securedApp, { url: '/v1/reconcile/known', headers: AUTH }),
      400: inject(securedApp, { url: `/v1/reconcile/${'x'.repeat(65)}`, headers: AUTH }),
      401: inject(securedApp, { url: '/v1/reconcile/known' }),
      404: inject(securedApp, { url: '/v1/reconcile/unknown', headers: AUTH }),
      414: rawGet(`/v1/reconcile/${'x'.repeat(2049)}`),
      500: inject(securedApp, { url: '/v1/reconcile/broken', headers: AUTH }),
      503: [inject(idleApp, { url: '/v1/reconcile/known', headers: AUTH }), inject(securedApp, { url: '/v1/reconcile/unreachable', headers: AUTH })],
    },
    'get /healthz': {
      200: inject(securedApp, { url: '/healthz' }),
    },
    'get /readyz': {
      200: inject(securedApp, { url: '/readyz' }),
      503: inject(idleApp, { url: '/readyz' }),
    },
    'get /metrics': {
      200: inject(securedApp, { url: '/metrics', headers: AUTH }),
      401: inject(securedApp, { url: '/metrics' }),
    },
  };

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ key: `${method} ${path}`, operation })));

  it('documents every status each route gives, and the table covers every route', async () => {
    expect(operations().map((o) => o.key).sort()).toEqual(Object.keys(EMITTED).sort());
    for (const [key, statuses] of Object.entries(EMITTED)) {
      const [method, path] = key.split(' ') as [string, string];
      const documented = Object.keys(doc.paths[path]?.[method]?.responses ?? {});
      for (const [status, requests] of Object.entries(statuses)) {
        for (const request of [requests].flat()) expect({ key, status: await request() }).toEqual({ key, status: Number(status) });
        expect({ key, documented: documented.includes(status) }).toEqual({ key, documented: true });
      }
    }
  });

  it('names the v1 operations as the original specification does, and every other operation in the same style', () => {
    const original = loadV1Specification();
    const originalIds = Object.entries(original.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => [`${method} ${String(original['basePath'] ?? '')}${path}`, operation.operationId]),
    );
    expect(originalIds).toHaveLength(6);
    const ours = Object.fromEntries(operations().map(({ key, operation }) => [key, operation.operationId]));
    for (const [key, operationId] of originalIds) expect({ key, operationId: ours[key as string] }).toEqual({ key, operationId });

    const ids = Object.values(ours);
    expect(ids.every((id) => typeof id === 'string' && /^(Get|List|Stream|Start)[A-Z][A-Za-z]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('locks exactly the routes that need a token, and they answer 401 without one', async () => {
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const unlocked: string[] = [];
    for (const { key, operation } of operations()) {
      const locked = (operation.security ?? doc.security ?? []).some((requirement) => requirement.bearerAuth !== undefined);
      if (!locked) unlocked.push(key);
      expect({ key, locked, documents401: '401' in operation.responses }).toEqual({ key, locked, documents401: locked });
      const [method, path] = key.split(' ') as [string, string];
      const response = await secured.app.inject({ method: method.toUpperCase() as 'GET' | 'POST', url: path.replace(/\{[^}]+\}/g, 'x') });
      expect({ key, unauthorized: response.statusCode === 401 }).toEqual({ key, unauthorized: locked });
    }
    expect(unlocked.sort()).toEqual(['get /healthz', 'get /readyz']);
  });

  it('lists the server the document was served from, or the configured public URL', async () => {
    expect(doc.servers).toEqual([{ url: '/' }]);
    const client = newClient();
    const view = new StateView({ client, prefix: uniquePrefix('openapi-public-url'), project: projectApiRecord });
    const app = await buildApiServer({ view, publicUrl: 'https://ecs-state.example.com/state' });
    try {
      expect(((await app.inject({ url: '/docs/json' })).json() as OpenApiDocument).servers).toEqual([{ url: 'https://ecs-state.example.com/state' }]);
    } finally {
      await app.close();
      client.close();
    }
  });
});
