import { setTimeout as sleep } from 'node:timers/promises';
import type { Simulator } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { VIEW_METRICS } from '@ecs-state/rest-api';
import type { EtcdCluster, EtcdClusterMember } from '@ecs-state/local-services';
import { expectStoreToMatchTruth, type IngestorProcess, type ServiceProcess } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import { taskWritesAfter } from './support/etcd-history';
import type { HaWorld } from './support/ha-world';
import { reportWindow } from './support/ha-report';
import { metricValue } from './support/longest-window';
import { startApi, startIngestor, type Deployment } from './support/services';
import { StreamClient } from './support/stream-client';
import { EVENT_QUEUE, startWorkloadWorld } from './support/workload-world';

jest.setTimeout(300_000);

const MAX_STALENESS_MS = 2000;
const PAUSE_MS = 20_000;
/**
 * How much later than this test's sample the api's own probe may see etcd move: a probe interval
 * (200 ms), a sample (250 ms), and a probe a slow, busy machine schedules late.
 */
const PROBE_SLACK_MS = 2000;
/** Exported by the api (see apps/api/README.md). */
const VIEW_STALENESS = VIEW_METRICS.staleness;
const VIEW_REVISION = VIEW_METRICS.revision;

interface Sample {
  readonly at: number;
  readonly ready: boolean;
  readonly readyBody: string;
  readonly stalenessS: number;
  readonly viewRevision: number;
  /** etcd's revision as the live members report it, read just before the api's answers. */
  readonly etcdRevision: number;
}

/** etcd's own count of watch streams a member serves: which member holds the api's watch. */
async function watchStreams(member: EtcdClusterMember): Promise<number> {
  const text = await (await fetch(`${member.endpoint}/metrics`)).text();
  return metricValue(text, 'etcd_debugging_mvcc_watch_stream_total') ?? 0;
}

async function sample(apiUrl: string, etcd: Etcd3): Promise<Sample> {
  const etcdRevision = Number((await etcd.get('/').exec()).header.revision);
  const at = Date.now();
  const [ready, metrics] = await Promise.all([fetch(`${apiUrl}/readyz`), fetch(`${apiUrl}/metrics`)]);
  const text = await metrics.text();
  return {
    at,
    ready: ready.status === 200,
    readyBody: await ready.text(),
    stalenessS: metricValue(text, VIEW_STALENESS) ?? Number.NaN,
    viewRevision: metricValue(text, VIEW_REVISION) ?? Number.NaN,
    etcdRevision,
  };
}

/**
 * The member that carries the api's watch stops answering for 20 s (SIGSTOP:
 * its connections stay open, as behind a network partition), then resumes.
 * The api must never pass a stale view off as fresh: while its view stands
 * still and etcd moves on, /readyz answers 503 naming the reason and the
 * staleness gauge grows; afterwards it is ready again, and its stream clients
 * got every change exactly once.
 */
describe('the api when the etcd member it watches is cut off', () => {
  let world: HaWorld;
  let cluster: EtcdCluster;
  let sim: Simulator;
  let client: Etcd3;
  let store: ClusterStateStore;
  let d: Deployment;
  let ingestor: IngestorProcess;
  let api: { process: ServiceProcess; url: string };
  const streams: StreamClient[] = [];

  beforeAll(async () => {
    world = await startWorkloadWorld('partition', { clusters: 2, tasksPerCluster: 20, ratePerSecond: 40, seed: 37 });
    ({ cluster, sim, deployment: d } = world);
    [ingestor, api] = await Promise.all([
      startIngestor(d, EVENT_QUEUE),
      startApi(d, { VIEW_PROBE_INTERVAL_MS: '200', VIEW_MAX_STALENESS_MS: String(MAX_STALENESS_MS) }),
    ]);
  });

  afterAll(async () => {
    for (const s of streams) s.close();
    for (const m of cluster?.members ?? []) m.resume();
    await Promise.all([ingestor?.kill(), api?.process.kill()]);
    await world?.close();
  });

  it('reports itself not ready, naming staleness, while its view stands still; then catches up with nothing lost or repeated', async () => {
    // Before the test's own client exists: its connections would hold no watch, but keep the count plain.
    const counts = await Promise.all(cluster.members.map(watchStreams));
    const watched = cluster.members.filter((_, i) => counts[i]! > 0);
    expect(watched).toHaveLength(1);
    const member = watched[0]!;
    ({ client, store } = world.openStore(cluster.endpoints.filter((e) => e !== member.endpoint)));
    await expectStoreToMatchTruth(sim, store, 90_000);
    const before = await eventually('the api to be ready before the pause', async () => {
      const s = await sample(api.url, client);
      return s.ready ? s : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    for (let i = 0; i < 5; i++) streams.push(await StreamClient.open(`${api.url}/v1/stream/tasks?afterRevision=${before.viewRevision}`));

    sim.workload!.start();
    await sleep(1000);
    const samples: Sample[] = [];
    member.pause();
    const pausedAt = Date.now();
    try {
      while (Date.now() - pausedAt < PAUSE_MS) {
        samples.push(await sample(api.url, client));
        await sleep(250);
      }
    } finally {
      member.resume();
    }
    const resumedAt = Date.now();
    sim.workload!.stop();
    await eventually('the simulator to deliver every pending event', () => (sim.events?.pending ?? 0) === 0, { timeoutMs: 60_000 });
    await expectStoreToMatchTruth(sim, store, 90_000);
    let after = await sample(api.url, client);
    while (!after.ready && Date.now() - resumedAt < 90_000) {
      await sleep(250);
      after = await sample(api.url, client);
    }

    const notReady = samples.filter((s) => !s.ready);
    const stallMs = longestStallMs(samples);
    reportWindow('partitioned-member', {
      pausedMember: member.name,
      pausedMs: resumedAt - pausedAt,
      longestViewStallMs: stallMs,
      notReadyMs: notReady.length === 0 ? 0 : notReady[notReady.length - 1]!.at - notReady[0]!.at,
      maxStalenessMs: Math.max(...samples.map((s) => s.stalenessS)) * 1000,
      readyAgainAfterResumeMs: after.at - resumedAt,
    });

    if (stallMs > MAX_STALENESS_MS + 1000) {
      // The view stood still: it must have said so.
      expect(notReady.length).toBeGreaterThan(0);
      expect(notReady[0]!.readyBody).toMatch(/state view behind etcd \(staleness \d+ ms\)|etcd unreachable/);
      expect(Math.max(...samples.map((s) => s.stalenessS)) * 1000).toBeGreaterThan(MAX_STALENESS_MS);
      // Never ready while etcd had been ahead of the view for longer than the bound, plus PROBE_SLACK_MS.
      const readyWhileBehind = samples.filter((s) => s.ready && behindForMs(samples, s) > MAX_STALENESS_MS + PROBE_SLACK_MS);
      expect(readyWhileBehind.map((s) => ({ behindMs: behindForMs(samples, s), body: s.readyBody }))).toEqual([]);
    } else {
      // The view kept moving (failed over): readiness stayed true.
      expect(notReady).toEqual([]);
    }
    expect(after.ready).toBe(true);

    const expected = await taskWritesAfter(client, d.etcdPrefix, before.viewRevision);
    const deadline = Date.now() + 90_000;
    while (streams.some((s) => s.changes.length < expected.length) && Date.now() < deadline) await sleep(100);
    for (const s of streams) expect(s.changes.map((c) => `${c.taskArn}@${c.revision}`)).toEqual(expected);
  });
});

/** How long the view's revision had not moved at sample `s`. */
function stalledForMs(samples: readonly Sample[], s: Sample): number {
  const index = samples.indexOf(s);
  let k = index;
  while (k > 0 && samples[k - 1]!.viewRevision === s.viewRevision) k--;
  return s.at - samples[k]!.at;
}

/** How long etcd had been past the view's revision at sample `s` (0 when it was not). */
function behindForMs(samples: readonly Sample[], s: Sample): number {
  const first = samples.find((k) => k.at <= s.at && k.etcdRevision > s.viewRevision);
  return first === undefined ? 0 : s.at - first.at;
}

function longestStallMs(samples: readonly Sample[]): number {
  return Math.max(0, ...samples.map((s) => stalledForMs(samples, s)));
}
