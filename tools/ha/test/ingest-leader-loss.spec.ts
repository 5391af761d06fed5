import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '@ecs-state/ecs-sim';
import { ETCD_STATUS_METRICS, type ClusterStateStore } from '@ecs-state/etcd-store';
import { INGEST_METRICS } from '@ecs-state/ingestion';
import type { EtcdCluster } from '@ecs-state/local-services';
import { expectStoreToMatchTruth, type IngestorProcess } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import type { HaWorld } from './support/ha-world';
import { reportWindow } from './support/ha-report';
import { metricValue, sampleMaximum } from './support/longest-window';
import { startIngestor } from './support/services';
import { EVENT_QUEUE, startWorkloadWorld } from './support/workload-world';

jest.setTimeout(300_000);

/** Exported by every ingestor (see apps/ingestor/README.md): how long it has gone without a write etcd accepted. */
const LAST_WRITE_AGE = ETCD_STATUS_METRICS.lastWriteAgeSeconds;

/**
 * Two ingestor replicas read one queue while the etcd leader is SIGKILLed and,
 * later, started again: etcd ends equal to ECS record by record (no event lost,
 * no older version over a newer one), and each replica's longest time without
 * an accepted write is the unavailability it saw.
 */
describe('ingest across the loss of the etcd leader', () => {
  let world: HaWorld;
  let cluster: EtcdCluster;
  let sim: Simulator;
  let store: ClusterStateStore;
  const ingestors: IngestorProcess[] = [];

  beforeAll(async () => {
    world = await startWorkloadWorld('ingest', { clusters: 3, tasksPerCluster: 40, ratePerSecond: 150, seed: 23 });
    ({ cluster, sim } = world);
    ({ store } = world.openStore());
    const d = world.deployment;
    ingestors.push(...(await Promise.all([startIngestor(d, EVENT_QUEUE), startIngestor(d, EVENT_QUEUE)])));
  });

  afterAll(async () => {
    await Promise.all(ingestors.map((i) => i.kill()));
    await world?.close();
  });

  it('loses no event and stores no wrong version while the leader is killed and restarted', async () => {
    // The population's events first, so that the windows below measure the outage and not the start.
    await expectStoreToMatchTruth(sim, store, 45_000);
    const meters = ingestors.map((i) => sampleMaximum(async () => metricValue(await i.metrics(), LAST_WRITE_AGE) ?? Number.NaN));

    sim.workload!.start();
    await sleep(3000);
    const leader = await cluster.leader();
    await leader.kill();
    const killedAt = Date.now();
    const next = await cluster.leader(60_000);
    const electedMs = Date.now() - killedAt;
    await sleep(4000);
    await leader.start();
    await sleep(3000);
    // The workload goes on until both replicas have written: which one a busy machine lets poll first is not the point.
    await eventually('both replicas to apply events', async () => {
      const applied = await Promise.all(ingestors.map(async (i) => metricValue(await i.metrics(), INGEST_METRICS.applied) ?? 0));
      return applied.every((n) => n > 0);
    }, { timeoutMs: 60_000, intervalMs: 200 });
    sim.workload!.stop();
    await eventually('the simulator to deliver every pending event', () => (sim.events?.pending ?? 0) === 0, { timeoutMs: 60_000 });

    const records = await expectStoreToMatchTruth(sim, store, 90_000);
    const windows = await Promise.all(meters.map((m) => m.stop()));
    const applied = await Promise.all(ingestors.map(async (i) => metricValue(await i.metrics(), INGEST_METRICS.applied) ?? 0));
    reportWindow('ingest-leader-loss', {
      records,
      oldLeader: leader.name,
      newLeader: next.name,
      leaderFoundAfterMs: electedMs,
      ingestor0LongestWithoutWriteMs: windows[0]! * 1000,
      ingestor1LongestWithoutWriteMs: windows[1]! * 1000,
    });
    expect(next).not.toBe(leader);
    // Both replicas took part, and neither went silent for good.
    expect(applied.every((n) => n > 0)).toBe(true);
    expect(Math.max(...windows)).toBeLessThan(30);
  });
});
