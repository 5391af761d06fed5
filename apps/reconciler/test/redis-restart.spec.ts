import { eventually } from '@ecs-state/test-support';
import { startRedis, type RedisServer } from '@ecs-state/local-services';
import { startService, startWorld, type StartedService, type World } from './support';

jest.setTimeout(180_000);

describe('Redis restarted in the middle of a run', () => {
  let redis: RedisServer;
  let world: World;
  let started: StartedService | undefined;
  afterEach(async () => {
    await started?.service.stop();
    await world.close();
    await redis.stop();
  });

  it('the run completes, each cluster once, and the store equals ECS', async () => {
    redis = await startRedis({ persistent: true });
    world = await startWorld(6, 30);
    // Slow ECS so that the restart lands while clusters are being reconciled.
    world.sim.faults.update({ ecs: { latencyMs: 40 } });
    started = await startService(world, { REDIS_URL: redis.url, RECONCILE_ON_EMPTY_STORE: 'false', RECONCILE_CONCURRENCY: '1' });
    const client = started.service.worker.client;
    const { id } = await client.enqueue();
    await eventually('the run to be half-way', async () => {
      const view = await client.get(id);
      return view?.state === 'running' && (view.report?.clusters.length ?? 0) >= 1;
    }, { timeoutMs: 60_000 });

    await redis.restart();

    const view = await eventually('the run to finish', async () => {
      const v = await client.get(id).catch(() => null);
      return v !== null && (v.state === 'completed' || v.state === 'failed') ? v : null;
    }, { timeoutMs: 90_000 });
    expect(view.state).toBe('completed');
    expect(view.report?.clusters.map((c) => c.cluster).sort()).toEqual([...world.clusters].sort());
    expect(view.report?.totals.failedClusters).toBe(0);
    expect(await world.stored()).toEqual(world.expected());
  });
});
