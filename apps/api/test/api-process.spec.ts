import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';

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
  }, 20_000);

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
  }, 30_000);
});
