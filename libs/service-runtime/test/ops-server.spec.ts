import { Counter } from 'prom-client';
import { createMetricsRegistry, startOpsServer, type OpsServer } from '../src';

describe('ops server', () => {
  let server: OpsServer;
  let dependencyUp = true;
  let shuttingDown = false;
  const registry = createMetricsRegistry('test');
  const counter = new Counter({ name: 'things_total', help: 'things', registers: [registry] });

  beforeAll(async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      registry,
      readiness: [
        { name: 'dependency', check: async () => dependencyUp },
        { name: 'flaky', check: async () => { if (!dependencyUp) throw new Error('connection refused'); return true; } },
      ],
      isShuttingDown: () => shuttingDown,
    });
  });
  afterAll(() => server.close());

  const get = (path: string) => fetch(`http://127.0.0.1:${server.port}${path}`);

  it('answers /healthz while running', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness from each dependency check', async () => {
    dependencyUp = true;
    expect((await get('/readyz')).status).toBe(200);
    dependencyUp = false;
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      ready: false,
      checks: [
        { name: 'dependency', ok: false, reason: 'not ready' },
        { name: 'flaky', ok: false, reason: 'connection refused' },
      ],
    });
    dependencyUp = true;
  });

  it('is not ready once shutdown has started', async () => {
    shuttingDown = true;
    const res = await get('/readyz');
    expect(res.status).toBe(503);
    expect(((await res.json()) as { checks: unknown[] }).checks).toContainEqual({ name: 'shutdown', ok: false, reason: 'shutting down' });
    shuttingDown = false;
  });

  it('serves Prometheus metrics with the service label', async () => {
    counter.inc(3);
    const text = await (await get('/metrics')).text();
    expect(text).toContain('things_total{service="test"} 3');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 for anything else', async () => {
    expect((await get('/nope')).status).toBe(404);
  });
});
