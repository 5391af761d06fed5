import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { CREDENTIALS, startWorld, testEnv, waitFor, type World } from './support';

jest.setTimeout(90_000);

const ROOT = join(__dirname, '../../..');

interface ReconcilerProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  exit: Promise<number | null>;
}

function startReconciler(world: World): ReconcilerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/reconciler/src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      REDIS_URL: testEnv('TEST_REDIS_URL'),
      RECONCILE_QUEUE_PREFIX: world.queuePrefix,
      RECONCILE_INTERVAL: 'off',
      RECONCILE_CONCURRENCY: '1',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_ECS: world.sim.endpoint,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'),
      ETCD_PREFIX: world.prefix,
      METRICS_PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '20000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ message: line });
      }
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, logs, exit };
}

describe('reconciler shutdown', () => {
  let world: World;
  const started: ReconcilerProcess[] = [];
  afterAll(async () => {
    for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await world?.close();
  });

  it('on SIGTERM finishes the cluster in hand and exits 0; a new replica completes the run', async () => {
    world = await startWorld(4, 150);
    // Slow ECS, so that SIGTERM lands while a run is under way.
    world.sim.faults.update({ ecs: { latencyMs: 40 } });
    const first = startReconciler(world);
    started.push(first);
    await waitFor(async () => first.logs.some((l) => l.message === 'cluster reconciled'), 60_000, 'a first cluster reconciled');
    expect(first.logs.some((l) => l.message === 'reconcile run finished')).toBe(false);

    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.logs.some((l) => l.message === 'stopped cleanly')).toBe(true);

    world.sim.faults.update({ ecs: { latencyMs: 0 } });
    const second = startReconciler(world);
    started.push(second);
    await waitFor(async () => second.logs.some((l) => l.message === 'reconcile run finished'), 60_000, 'the run to finish on the new replica');
    const stored = await world.stored();
    expect(stored).toEqual(world.expected());
    second.child.kill('SIGTERM');
    expect(await second.exit).toBe(0);
  });
});
