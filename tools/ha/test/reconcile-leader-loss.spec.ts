import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { startRedis, type EtcdCluster, type RedisServer } from '@ecs-state/local-services';
import { createReconcileClient, type ReconcileClient, type ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { expectStoreToMatchTruth, type ServiceProcess } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import { HaWorld } from './support/ha-world';
import { reportWindow } from './support/ha-report';
import { startReconciler } from './support/services';

jest.setTimeout(600_000);

/**
 * A reconcile run while the etcd leader is SIGKILLed and started again: the run
 * completes and etcd ends equal to ECS; its duration against the same run
 * without a fault is the unavailability the reconciler saw.
 */
describe('a reconcile run across the loss of the etcd leader', () => {
  let world: HaWorld;
  let cluster: EtcdCluster;
  let redis: RedisServer;
  let sim: Simulator;
  let store: ClusterStateStore;
  let reconciler: ServiceProcess;
  let runs: ReconcileClient;

  beforeAll(async () => {
    [world, redis] = await Promise.all([
      // No event queue: whatever the workload changes is drift that only a reconcile repairs.
      HaWorld.start('reconcile', {
        eventQueue: null,
        workload: { clusters: 4, instancesPerCluster: 2, tasksPerCluster: 250, ratePerSecond: 200, start: false, seed: 31 },
      }),
      startRedis(),
    ]);
    ({ cluster, sim } = world);
    ({ store } = world.openStore());
    // Slower ECS calls, so that a run lasts long enough to lose the leader in its middle.
    sim.faults.update({ ecs: { latencyMs: 25 } });
    const d = world.deployment;
    const queuePrefix = `ha-${randomUUID().slice(0, 8)}`;
    runs = createReconcileClient({ connection: redis.url, prefix: queuePrefix });
    reconciler = await startReconciler(d, redis.url, queuePrefix);
    // The store is empty: the reconciler fills it at start.
    await expectStoreToMatchTruth(sim, store, 120_000);
  });

  afterAll(async () => {
    await reconciler?.kill();
    await runs?.close();
    await Promise.all([world?.close(), redis?.stop()]);
  });

  /** Changes ECS without telling anyone, then runs a reconcile of every cluster; `during` runs while it is under way. */
  async function reconcileDrift(during: () => Promise<void>): Promise<{ run: ReconcileRunView; durationMs: number }> {
    sim.workload!.start();
    await sleep(1500);
    sim.workload!.stop();
    const reconciledBefore = reconciler.logs.filter((l) => l.message === 'cluster reconciled').length;
    const { id } = await runs.enqueue();
    await eventually('a cluster of the run to be reconciled', () => reconciler.logs.filter((l) => l.message === 'cluster reconciled').length > reconciledBefore, {
      timeoutMs: 90_000,
      intervalMs: 20,
    });
    await during();
    let last: ReconcileRunView | null = null;
    const run = await eventually(
      `run ${id} to finish`,
      async () => {
        last = await runs.get(id);
        return last?.state === 'completed' || last?.state === 'failed' ? last : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 100, context: () => `its last state: ${JSON.stringify(last)}` },
    );
    return { run, durationMs: Date.parse(run.finishedAt ?? '') - Date.parse(run.startedAt ?? '') };
  }

  it('completes, with every cluster reconciled, and leaves etcd equal to ECS', async () => {
    const baseline = await reconcileDrift(async () => undefined);
    expect(baseline.run.state).toBe('completed');
    // Equal at once, the run being over; the time is for reads that meet a member restarting.
    await expectStoreToMatchTruth(sim, store, 30_000);

    let leaderName = '';
    const withLoss = await reconcileDrift(async () => {
      const leader = await cluster.leader();
      leaderName = leader.name;
      await leader.kill();
      await sleep(3000);
      await leader.start();
    });
    const records = await expectStoreToMatchTruth(sim, store, 30_000);
    reportWindow('reconcile-leader-loss', {
      records,
      oldLeader: leaderName,
      baselineRunMs: baseline.durationMs,
      runWithLeaderLossMs: withLoss.durationMs,
      extraMs: withLoss.durationMs - baseline.durationMs,
    });
    expect(withLoss.run.state).toBe('completed');
    expect(withLoss.run.report?.clusters.filter((c) => c.outcome !== 'reconciled')).toEqual([]);
  });
});
