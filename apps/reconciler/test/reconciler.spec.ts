import { RECONCILE_METRICS } from '@ecs-state/reconciliation';
import { eventually } from '@ecs-state/test-support';
import type { ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { counterTotal, startService, startWorld, type StartedService, type World } from './support';

jest.setTimeout(120_000);

function finished(service: StartedService, id: string, timeoutMs = 60_000): Promise<ReconcileRunView> {
  return eventually(`run ${id}`, async () => {
    const view = await service.service.worker.client.get(id);
    return view !== null && (view.state === 'completed' || view.state === 'failed') ? view : null;
  }, { timeoutMs });
}

describe('reconciler service', () => {
  let world: World;
  const services: StartedService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.service.stop()));
    await world.close();
  });

  it('reconciles at once when the store is empty, then shares a run between two replicas', async () => {
    world = await startWorld(6, 40);
    const first = await startService(world);
    services.push(first);
    // The store was empty: a full reconcile starts without a trigger.
    await eventually('the startup reconcile', async () => (await world.stored()).size === world.expected().size, { timeoutMs: 60_000 });
    expect(await world.stored()).toEqual(world.expected());

    const second = await startService(world, { RECONCILE_CONCURRENCY: '1' });
    services.push(second);
    const before = (await counterTotal(first.registry, RECONCILE_METRICS.clusters)) + (await counterTotal(second.registry, RECONCILE_METRICS.clusters));
    const revision = Number((await world.etcd.get('/').exec()).header.revision);

    const { id } = await second.service.worker.client.enqueue();
    const view = await finished(first, id);

    expect(view.state).toBe('completed');
    expect(view.report?.clusters.map((c) => c.cluster).sort()).toEqual([...world.clusters].sort());
    expect(view.report?.totals).toMatchObject({ clusters: 6, failedClusters: 0, tasks: { added: 0, updated: 0, deleted: 0, unchanged: 240 } });
    const after = (await counterTotal(first.registry, RECONCILE_METRICS.clusters)) + (await counterTotal(second.registry, RECONCILE_METRICS.clusters));
    // Each cluster exactly once across both replicas.
    expect(after - before).toBe(6);
    // Nothing changed, so nothing under this test's prefix was written (etcd is shared with other suites).
    const touched = (await world.etcd.getAll().prefix(`${world.prefix}/`).exec()).kvs.filter((kv) => Number(kv.mod_revision) > revision);
    expect(touched.map((kv) => kv.key.toString())).toEqual([]);
  });

  it('completes under ECS throttling: within the budget no request is throttled; above it adaptive retries finish the job', async () => {
    world = await startWorld(2, 250);
    world.sim.faults.update({ ecs: { throttleRps: 40, throttleBurst: 10 } });
    const within = await startService(world, { ECS_REQUESTS_PER_SECOND: '30', ECS_REQUEST_BURST: '5', RECONCILE_ON_EMPTY_STORE: 'false' });
    services.push(within);
    const run = await within.service.worker.client.enqueue();
    const view = await finished(within, run.id);
    expect(view.report?.totals.failedClusters).toBe(0);
    expect(await world.stored()).toEqual(world.expected());
    // Minimum per cluster: describe cluster, list + describe instances, 3 task lists (RUNNING: 3 pages), 3 describes, 1 (empty) service list.
    for (const cluster of view.report?.clusters ?? []) expect(cluster.ecsCalls).toBe(1 + 2 + 5 + 3 + 1);
    await within.service.stop();
    services.splice(0);

    await world.etcd.delete().prefix(`${world.prefix}/`);
    // Far below what the replica asks for: most first attempts are throttled.
    world.sim.faults.update({ ecs: { throttleRps: 5, throttleBurst: 2 } });
    const over = await startService(world, { ECS_REQUESTS_PER_SECOND: '1000', ECS_MAX_ATTEMPTS: '20', RECONCILE_ON_EMPTY_STORE: 'false' });
    services.push(over);
    const second = await over.service.worker.client.enqueue();
    const throttled = await finished(over, second.id);
    expect(throttled.report?.totals.failedClusters).toBe(0);
    expect(await world.stored()).toEqual(world.expected());
    expect(throttled.report?.totals.ecsCalls).toBeGreaterThan(2 * 12);
  });
});
