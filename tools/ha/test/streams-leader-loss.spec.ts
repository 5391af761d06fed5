import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import type { EtcdCluster } from '@ecs-state/local-services';
import { expectStoreToMatchTruth, type IngestorProcess, type ServiceProcess } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import { taskWritesAfter } from './support/etcd-history';
import type { HaWorld } from './support/ha-world';
import { reportWindow } from './support/ha-report';
import { startApi, startIngestor, type Deployment } from './support/services';
import { StreamClient } from './support/stream-client';
import { EVENT_QUEUE, startWorkloadWorld } from './support/workload-world';

jest.setTimeout(400_000);

const STREAMS = 50;

function firstMismatch(got: readonly string[], expected: readonly string[]): string {
  const k = got.findIndex((c, i) => c !== expected[i]);
  return `${k}: received ${got[k]}, etcd wrote ${expected[k]}`;
}

async function listRevision(apiUrl: string): Promise<number> {
  const res = await fetch(`${apiUrl}/v1/tasks?limit=1`);
  await res.text();
  return Number(res.headers.get('x-store-revision'));
}

/**
 * 50 clients stream task changes from two api replicas while the simulator
 * changes tasks and the etcd leader is SIGKILLed and started again: each client
 * receives every change etcd recorded, exactly once and in revision order: at
 * most a pause, which is the unavailability a client saw.
 */
describe('streams across the loss of the etcd leader', () => {
  let world: HaWorld;
  let cluster: EtcdCluster;
  let sim: Simulator;
  let client: Etcd3;
  let store: ClusterStateStore;
  let d: Deployment;
  let ingestor: IngestorProcess;
  const apis: { process: ServiceProcess; url: string }[] = [];
  const streams: StreamClient[] = [];

  beforeAll(async () => {
    world = await startWorkloadWorld('streams', { clusters: 2, tasksPerCluster: 30, ratePerSecond: 100, seed: 29 });
    ({ cluster, sim, deployment: d } = world);
    ({ client, store } = world.openStore());
    const started = await Promise.all([startIngestor(d, EVENT_QUEUE), startApi(d), startApi(d)]);
    ingestor = started[0];
    apis.push(started[1], started[2]);
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    await Promise.all([ingestor?.kill(), ...apis.map((a) => a.process.kill())]);
    await world?.close();
  });

  it('delivers every change exactly once, in revision order, to every client of either replica', async () => {
    await expectStoreToMatchTruth(sim, store, 90_000);
    // Both replicas serve from the same revision on: the lower of the two they have reached.
    const from = Math.min(...(await Promise.all(apis.map((a) => listRevision(a.url)))));
    for (let i = 0; i < STREAMS; i++) streams.push(await StreamClient.open(`${apis[i % apis.length]!.url}/v1/stream/tasks?afterRevision=${from}`));

    sim.workload!.start();
    await sleep(3000);
    // The outage must land mid-stream, however slowly a busy machine moves the first changes along.
    await eventually('every client to receive changes before the kill', () => streams.every((s) => s.changes.length > 0), { timeoutMs: 60_000, intervalMs: 100 });
    const leader = await cluster.leader();
    const killedAt = Date.now();
    await leader.kill();
    await sleep(4000);
    await leader.start();
    const restartedAt = Date.now();
    await sleep(3000);
    sim.workload!.stop();
    await eventually('the simulator to deliver every pending event', () => (sim.events?.pending ?? 0) === 0, { timeoutMs: 60_000 });
    await expectStoreToMatchTruth(sim, store, 90_000);

    const expected = await taskWritesAfter(client, d.etcdPrefix, from);
    await eventually('every stream to deliver every change', () => streams.every((s) => s.changes.length >= expected.length), {
      timeoutMs: 120_000,
      intervalMs: 100,
      context: () => `expected ${expected.length} changes; the streams got ${streams.map((s) => s.changes.length).join(', ')}`,
    });

    const pauses = streams.map((s) => s.longestPauseMs(killedAt - 1000));
    reportWindow('streams-leader-loss', {
      changes: expected.length,
      clients: streams.length,
      oldLeader: leader.name,
      longestClientPauseMs: Math.max(...pauses),
      medianClientPauseMs: [...pauses].sort((a, b) => a - b)[Math.floor(pauses.length / 2)]!,
    });
    const wrong = streams
      .map((s, i) => ({ i, got: s.changes.map((c) => `${c.taskArn}@${c.revision}`) }))
      .filter(({ got }) => got.length !== expected.length || got.some((change, k) => change !== expected[k]));
    const firstWrong = wrong[0];
    const detail = firstWrong === undefined ? '' : `client ${firstWrong.i}: ${firstWrong.got.length} changes, first mismatch at ${firstMismatch(firstWrong.got, expected)}`;
    expect({ clientsWithAnotherSequence: wrong.length, detail }).toEqual({ clientsWithAnotherSequence: 0, detail: '' });
    expect(streams.every((s) => !s.ended)).toBe(true);
    // The streams went on after the restart (how many changes a second is the machine's business).
    const silentAfterRestart = streams.flatMap((s, i) => (s.changes.some((c) => c.at > restartedAt) ? [] : [i]));
    expect(silentAfterRestart).toEqual([]);
  });
});
