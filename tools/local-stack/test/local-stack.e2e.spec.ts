import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { descendants, processAlive } from './process-tree';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface RunningStack {
  proc: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

/** `tsx tools/local-stack/src/main.ts` as `npm start` runs it, small and on free ports. */
function startStack(extraEnv: Record<string, string> = {}): RunningStack {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: '0',
    SIM_PORT: '0',
    INGESTOR_METRICS_PORT: '0',
    RECONCILER_METRICS_PORT: '0',
    DEMO_CLUSTERS: '2',
    DEMO_INSTANCES: '1',
    DEMO_TASKS: '5',
    DEMO_TASK_RATE: '5',
    DEMO_SEED: '7',
    NO_COLOR: '1',
    ...extraEnv,
  };
  for (const name of ['ETCD_ENDPOINTS', 'REDIS_URL', 'QUEUE_URL', 'QUEUE_NAME', 'API_TOKENS', 'AWS_ENDPOINT_URL']) delete env[name];
  const proc = spawn(TSX, ['tools/local-stack/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, output: () => text, exit };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, stack: RunningStack): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${timeoutMs} ms. Output:\n${stack.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startedPids(output: string): Map<string, number> {
  return new Map([...output.matchAll(/\[local-stack\] +started (\S+) \(pid (\d+)\)/g)].map((m) => [m[1] ?? '', Number(m[2])]));
}

async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(url.replace(/^redis:/, 'http:'), { signal: AbortSignal.timeout(1000) });
    return false;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return cause?.code === 'ECONNREFUSED';
  }
}

let stack: RunningStack | undefined;
afterEach(() => {
  // A failed assertion must not leave a stack running.
  if (stack && stack.proc.exitCode === null) stack.proc.kill('SIGKILL');
  stack = undefined;
});

describe('npm start (tools/local-stack)', () => {
  it('runs the whole stack, serves tasks from the simulator, and leaves nothing behind on Ctrl-C', async () => {
    const s = (stack = startStack());
    const [, api, token] = await until('the banner', () => /export API=(\S+) TOKEN=(\S+)/.exec(s.output()) ?? undefined, 70_000, s);
    const auth = { authorization: `Bearer ${token}` };

    const tasks = await until(
      'tasks in the API',
      async () => {
        const res = await fetch(`${api}/v1/tasks`, { headers: auth });
        const body = (await res.json()) as { items?: { entity: { taskARN: string; clusterARN: string } }[] };
        return body.items && body.items.length > 0 ? body.items : undefined;
      },
      15_000,
      s,
    );
    expect(tasks[0]?.entity.clusterARN).toMatch(/:cluster\/workload-[01]$/);
    const docs = await fetch(`${api}/docs/json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi?: string }).openapi).toMatch(/^3\./);
    expect((await fetch(`${api}/v1/tasks`)).status).toBe(401);

    const tree = descendants(s.proc.pid ?? -1);
    const pids = startedPids(s.output());
    expect([...pids.keys()]).toEqual(expect.arrayContaining(['etcd', 'redis', 'ecs-sim', 'ingestor', 'reconciler', 'api']));
    // etcd and Redis themselves run under their launchers: the tree is larger than the direct children.
    expect(tree.length).toBeGreaterThan(pids.size);

    s.proc.kill('SIGINT');
    expect(await s.exit).toBe(0);
    const out = s.output();
    const order = ['stopped api', 'stopped reconciler', 'stopped ingestor', 'stopped ecs-sim'].map((m) => out.indexOf(m));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toContain('all services stopped');
    expect(tree.filter(processAlive)).toEqual([]);
  }, 100_000);

  it('stops everything and exits non-zero when a service dies', async () => {
    // An invalid simulator setting makes it exit at start, as a crash would.
    const s = (stack = startStack({ ECS_SIM_FAULTS: 'not json' }));
    const code = await s.exit;
    const out = s.output();
    expect(code).toBe(1);
    expect(out).toContain('ecs-sim exited unexpectedly (exit code 2); stopping everything');
    expect(out).toContain('all services stopped');
    for (const [name, pid] of startedPids(out)) expect([name, processAlive(pid)]).toEqual([name, false]);
    for (const [, url] of out.matchAll(/\] +ready (\S+)/g)) expect(await refusesConnections(url ?? '')).toBe(true);
  }, 60_000);
});
