import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { VIEW_METRICS } from '@ecs-state/rest-api';
import { eventually } from '@ecs-state/test-support';

const ROOT = join(__dirname, '../../..');

function startApi(env: Record<string, string>): { child: ChildProcess; output: () => string; url: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), ...env },
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /"message":"api listening"[^\n]*"url":"([^"]+)"/.exec(output) ?? /"url":"([^"]+)"[^\n]*"message":"api listening"/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', () => reject(new Error(`api exited early: ${output}`)));
  });
  url.catch(() => undefined);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, url, exit };
}

function etcdEndpoint(): string {
  const endpoints = process.env['TEST_ETCD_ENDPOINTS'];
  if (!endpoints) throw new Error('TEST_ETCD_ENDPOINTS is not set; run through the jest config');
  return endpoints;
}

describe('the api process', () => {
  it('refuses bad configuration, naming every problem', async () => {
    const api = startApi({ ETCD_ENDPOINTS: etcdEndpoint(), PORT: 'x', VIEW_HISTORY_SIZE: '0', API_PUBLIC_URL: 'ecs-state.example.com' });
    expect(await api.exit).toBe(2);
    expect(api.output()).toMatch(/PORT/);
    expect(api.output()).toMatch(/VIEW_HISTORY_SIZE/);
    expect(api.output()).toMatch(/API_PUBLIC_URL/);
  }, 60_000);

  it.each(['/ecs.state', '/a//b'])('refuses ETCD_PREFIX=%s as bad configuration, listed with the other problems', async (prefix) => {
    const api = startApi({ ETCD_ENDPOINTS: etcdEndpoint(), ETCD_PREFIX: prefix, PORT: 'x' });
    expect(await api.exit).toBe(2);
    expect(api.output()).toMatch(/^api: Invalid configuration:\n/);
    expect(api.output()).toMatch(/\n {2}- ETCD_PREFIX: key prefix .* has segment /);
    expect(api.output()).toMatch(/\n {2}- PORT="x"/);
  }, 60_000);

  it('exits 1 with one JSON log line when it cannot start', async () => {
    // Nothing listens on port 1: the view's snapshot fails once the dial timeout passes.
    const api = startApi({ ETCD_ENDPOINTS: 'http://127.0.0.1:1', ETCD_DIAL_TIMEOUT_MS: '200', ETCD_REQUEST_TIMEOUT_MS: '500', PORT: '0', HOST: '127.0.0.1' });
    expect(await api.exit).toBe(1);
    const lines = api.output().split('\n').filter((line) => line.startsWith('{'));
    expect(JSON.parse(lines[lines.length - 1] ?? '{}')).toMatchObject({ level: 'error', service: 'api', message: 'failed to start' });
  }, 90_000);

  it('serves once loaded, is ready, and on SIGTERM ends streams cleanly and exits 0', async () => {
    const api = startApi({
      ETCD_ENDPOINTS: etcdEndpoint(),
      ETCD_PREFIX: `/test-api/${randomUUID()}`,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: '',
      API_PUBLIC_URL: 'https://ecs-state.example.com/state/',
    });
    const url = await api.url;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    // The body every service's /readyz has; the main port adds its view's figures.
    expect(await ready.json()).toMatchObject({ ready: true, checks: [{ name: 'view', ok: true }, { name: 'etcd', ok: true }], view: { inSync: true } });
    const docs = (await (await fetch(`${url}/docs/json`)).json()) as { servers: unknown };
    expect(docs.servers).toEqual([{ url: 'https://ecs-state.example.com/state' }]);
    const list = (await (await fetch(`${url}/v1/tasks`)).json()) as { items: unknown[]; revision: string };
    expect(list.items).toEqual([]);

    const streamed = await new Promise<string>((resolve, reject) => {
      const req = request(`${url}/v1/stream/tasks`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body));
        api.child.kill('SIGTERM');
      });
      req.on('error', reject);
      req.end();
    });
    expect(streamed).toContain('"reason":"server_shutdown"');
    expect(await api.exit).toBe(0);
    expect(api.output()).toContain('stopped cleanly');
  }, 90_000);

  it('serves /metrics, /healthz and /readyz on METRICS_PORT without a token, while the main port keeps /metrics behind it', async () => {
    const token = 'metrics-port-test-token';
    const api = startApi({
      ETCD_ENDPOINTS: etcdEndpoint(),
      ETCD_PREFIX: `/test-api/${randomUUID()}`,
      PORT: '0',
      METRICS_PORT: '0',
      HOST: '127.0.0.1',
      API_TOKENS: token,
      CLOUDWATCH_METRICS_NAMESPACE: 'ECSClusterState/test',
      CLOUDWATCH_METRICS_INTERVAL_MS: '1000',
    });
    try {
      const url = await api.url;
      const listening = api.output().split('\n').find((line) => line.includes('"message":"api listening"')) ?? '{}';
      const metricsPort = (JSON.parse(listening) as { metricsPort?: unknown }).metricsPort;
      expect(typeof metricsPort).toBe('number');
      expect(metricsPort).not.toBe(Number(new URL(url).port));
      const ops = `http://127.0.0.1:${String(metricsPort)}`;

      const scraped = await fetch(`${ops}/metrics`);
      expect(scraped.status).toBe(200);
      const text = await scraped.text();
      expect(text).toContain(VIEW_METRICS.revision);
      expect(text).toContain('service="api"');
      expect((await fetch(`${ops}/healthz`)).status).toBe(200);
      const ready = await fetch(`${ops}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ready: true, checks: [{ name: 'view', ok: true }, { name: 'etcd', ok: true }] });
      // Only the ops endpoints: the data stays on the main port, behind the token.
      expect((await fetch(`${ops}/v1/tasks`)).status).toBe(404);

      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

      // The staleness CloudWatch alarms on, as an embedded metric format line on stdout.
      type Emf = { _aws?: { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> }; ApiViewStalenessSeconds?: unknown };
      const emf = await eventually(
        'an embedded metric format line on stdout',
        () => {
          const line = api.output().split('\n').find((l) => l.includes('"_aws"'));
          return line === undefined ? undefined : (JSON.parse(line) as Emf);
        },
        { timeoutMs: 10_000, intervalMs: 100, context: api.output },
      );
      expect(emf._aws?.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'ECSClusterState/test', Metrics: [{ Name: 'ApiViewStalenessSeconds' }] });
      expect(typeof emf.ApiViewStalenessSeconds).toBe('number');
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exit).toBe(0);
    }
  }, 90_000);

  it('opens no metrics port unless METRICS_PORT is set', async () => {
    const api = startApi({ ETCD_ENDPOINTS: etcdEndpoint(), ETCD_PREFIX: `/test-api/${randomUUID()}`, PORT: '0', HOST: '127.0.0.1' });
    try {
      await api.url;
      const listening = api.output().split('\n').find((line) => line.includes('"message":"api listening"')) ?? '{}';
      expect(JSON.parse(listening)).not.toHaveProperty('metricsPort');
      expect(api.output()).not.toContain('"_aws"');
    } finally {
      api.child.kill('SIGTERM');
      await api.exit;
    }
  }, 90_000);
});
