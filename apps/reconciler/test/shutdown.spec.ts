import { eventually } from '@ecs-state/test-support';
import { ServiceProcess } from '@ecs-state/test-services';
import { CREDENTIALS, startWorld, testEnv, type World } from './support';

jest.setTimeout(180_000);

function reconcilerProcess(world: World): ServiceProcess {
  return new ServiceProcess({
    main: 'apps/reconciler/src/main.ts',
    readyMessage: 'reconciler started',
    env: {
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
  });
}

describe('reconciler shutdown', () => {
  let world: World;
  const started: ServiceProcess[] = [];
  afterAll(async () => {
    await Promise.all(started.map((p) => p.kill()));
    await world?.close();
  });

  it('on SIGTERM finishes the cluster in hand and exits 0; a new replica completes the run', async () => {
    world = await startWorld(4, 150);
    // Slow ECS, so that SIGTERM lands while a run is under way.
    world.sim.faults.update({ ecs: { latencyMs: 40 } });
    const first = reconcilerProcess(world);
    started.push(first);
    await first.start();
    await eventually('a first cluster reconciled', async () => first.logs.some((l) => l.message === 'cluster reconciled'), { timeoutMs: 60_000 });
    expect(first.logs.some((l) => l.message === 'reconcile run finished')).toBe(false);

    first.signal('SIGTERM');
    expect(await first.exited()).toBe(0);
    expect(first.logs.some((l) => l.message === 'stopped cleanly')).toBe(true);

    world.sim.faults.update({ ecs: { latencyMs: 0 } });
    const second = reconcilerProcess(world);
    started.push(second);
    await second.start();
    await eventually('the run to finish on the new replica', async () => second.logs.some((l) => l.message === 'reconcile run finished'), { timeoutMs: 60_000 });
    const stored = await world.stored();
    expect(stored).toEqual(world.expected());
    second.signal('SIGTERM');
    expect(await second.exited()).toBe(0);
  });
});
