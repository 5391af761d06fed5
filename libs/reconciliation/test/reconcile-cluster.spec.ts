import { canonicalJson, keyForRecord, type StateRecord, type TaskState } from '@ecs-state/domain';
import { EcsFixture, startHarness, type Harness } from './support/harness';

function diff(actual: Map<string, string>, expected: Map<string, string>): { missing: string[]; extra: string[]; different: string[] } {
  return {
    missing: [...expected.keys()].filter((k) => !actual.has(k)),
    extra: [...actual.keys()].filter((k) => !expected.has(k)),
    different: [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k)),
  };
}

async function reconcileAll(h: Harness) {
  const clusters = await h.reconciler.planClusters(null);
  const reports = [];
  for (const cluster of clusters) reports.push(await h.reconciler.reconcileCluster(cluster));
  return reports;
}

describe('reconciling a cluster against ECS', () => {
  let h: Harness;
  let fx: EcsFixture;
  beforeEach(async () => {
    h = await startHarness();
    fx = new EcsFixture(h.admin);
  });
  afterEach(async () => {
    await h.close();
  });

  it('fills an empty store with exactly what ECS has: old and new ARN formats, EC2 and Fargate, stopped tasks', async () => {
    const long = await fx.cluster('long-arns', 'long');
    const short = await fx.cluster('short-arns', 'short');
    for (const cluster of [long, short]) {
      await fx.instance(cluster);
      await fx.instance(cluster);
      const ec2 = await fx.run(cluster, 120);
      await fx.run(cluster, 15, 'FARGATE');
      for (const task of ec2.slice(0, 7)) await fx.stop(cluster, task);
    }
    const truth = h.expected();
    expect(truth.size).toBe(2 * (2 + 135));
    expect([...truth.keys()].some((k) => k.includes('/short-arns/'))).toBe(true);

    const reports = await reconcileAll(h);

    expect(diff(await h.stored(), truth)).toEqual({ missing: [], extra: [], different: [] });
    const byCluster = new Map(reports.map((r) => [r.cluster, r]));
    for (const cluster of [long, short]) {
      const report = byCluster.get(cluster);
      expect(report).toMatchObject({
        outcome: 'reconciled',
        tasks: { added: 135, updated: 0, deleted: 0, unchanged: 0 },
        instances: { added: 2, updated: 0, deleted: 0, unchanged: 0 },
        errors: [],
      });
      // The minimum: describe cluster, 1 instance list + 1 describe, 3 task lists (RUNNING spans 2 pages), 2 describes.
      expect(report?.ecsCalls).toBe(1 + 2 + 4 + 2);
    }
  });

  it('rewrites nothing when the store already matches', async () => {
    const cluster = await fx.cluster('steady');
    await fx.instance(cluster);
    await fx.run(cluster, 30);
    await fx.run(cluster, 5, 'FARGATE');
    await reconcileAll(h);
    const before = await h.store.currentRevision();

    const [report] = await reconcileAll(h);

    expect(await h.store.currentRevision()).toBe(before);
    expect(report).toMatchObject({ tasks: { added: 0, updated: 0, deleted: 0, unchanged: 35 }, instances: { unchanged: 1 } });
  });

  it('repairs the drift left by a 20 % event loss', async () => {
    h.sim.faults.update({ seed: 7, events: { dropRate: 0.2 } });
    const a = await fx.cluster('drift-a', 'long');
    const b = await fx.cluster('drift-b', 'short');
    for (const cluster of [a, b]) {
      const instance = await fx.instance(cluster);
      await fx.instance(cluster);
      const tasks = await fx.run(cluster, 60);
      await fx.run(cluster, 10, 'FARGATE');
      for (const task of tasks.slice(0, 20)) await fx.stop(cluster, task);
      await fx.deregister(cluster, instance);
    }
    // The transitions are immediate, but events are published asynchronously.
    await new Promise((r) => setTimeout(r, 100));
    await h.ingestEvents();
    const storedBefore = await h.stored();
    const truth = h.expected({ knownInactive: new Set(storedBefore.keys()) });
    const before = diff(storedBefore, truth);
    expect(before.missing.length + before.different.length).toBeGreaterThan(0);

    const reports = await reconcileAll(h);

    expect(diff(await h.stored(), truth)).toEqual({ missing: [], extra: [], different: [] });
    const repaired = reports.reduce((n, r) => n + r.tasks.added + r.tasks.updated + r.instances.added + r.instances.updated, 0);
    expect(repaired).toBe(before.missing.length + before.different.length);
  });

  it('deletes records ECS no longer has, and every record of a cluster deleted in ECS', async () => {
    const keep = await fx.cluster('keep');
    const doomed = await fx.cluster('doomed');
    await fx.instance(keep);
    await fx.run(keep, 5);
    await fx.run(doomed, 4, 'FARGATE');
    await reconcileAll(h);
    expect((await h.stored()).size).toBe(1 + 5 + 4);

    // A record the ingestor stored for a task ECS has since forgotten.
    const ghost = { ...(JSON.parse([...(await h.stored()).values()].find((v) => v.includes('"taskArn"') && v.includes('/keep/')) as string) as Record<string, unknown>) };
    const ghostTask: StateRecord = {
      kind: 'task',
      record: { ...ghost, taskArn: String(ghost['taskArn']).replace(/[0-9a-f]{32}$/, 'f'.repeat(32)) } as unknown as Extract<StateRecord, { kind: 'task' }>['record'],
    };
    await h.store.upsertIfNewer([ghostTask]);
    for (const task of await fx.run(doomed, 0)) void task;
    const stopAll = (h.sim.groundTruth() as { tasks: { taskArn: string; clusterArn: string }[] }).tasks.filter((t) => t.clusterArn === doomed);
    for (const t of stopAll) await fx.stop(doomed, t.taskArn);
    await fx.deleteCluster(doomed);

    const clusters = await h.reconciler.planClusters(null);
    expect(clusters).toContain(doomed);
    const removed = await h.reconciler.reconcileCluster(doomed);
    const kept = await h.reconciler.reconcileCluster(keep);

    expect(removed).toMatchObject({ outcome: 'removed', tasks: { deleted: 4 } });
    expect(kept).toMatchObject({ outcome: 'reconciled', tasks: { deleted: 1, unchanged: 5 } });
    const stored = await h.stored();
    expect([...stored.keys()].filter((k) => k.includes('/doomed/'))).toEqual([]);
    expect(stored.size).toBe(6);
    expect(await h.reconciler.planClusters(null)).toEqual([keep]);
  });

  it('never replaces a newer event-sourced record with an older snapshot', async () => {
    const cluster = await fx.cluster('newer');
    await fx.instance(cluster);
    await fx.run(cluster, 3);
    await reconcileAll(h);
    const [key, value] = [...(await h.stored()).entries()].find(([k]) => k.includes('/tasks/')) as [string, string];
    const record = JSON.parse(value) as Record<string, unknown>;
    const newer = { ...record, version: Number(record['version']) + 5, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' };
    await h.store.upsertIfNewer([{ kind: 'task', record: newer } as unknown as StateRecord]);

    const [report] = await reconcileAll(h);

    expect((await h.stored()).get(key)).toBe(canonicalJson(newer));
    expect(report?.tasks).toEqual({ added: 0, updated: 0, deleted: 0, unchanged: 3 });
  });
});

describe('reconciling while events keep arriving', () => {
  it('never reverts or deletes a record an event wrote during the run', async () => {
    const h = await startHarness();
    try {
      const fx = new EcsFixture(h.admin);
      const cluster = await fx.cluster('busy');
      await fx.instance(cluster);
      const initial = await fx.run(cluster, 150);
      await h.ingestEvents();
      // Slow ECS down so that the run and the events overlap.
      h.sim.faults.update({ ecs: { latencyMs: 15 } });

      // A task ECS no longer lists whose (late) events keep arriving during the run.
      const [, sample] = [...(await h.stored()).entries()].find(([k]) => k.includes('/tasks/')) as [string, string];
      const base = JSON.parse(sample) as Record<string, unknown>;
      const ghostArn = String(base['taskArn']).replace(/[0-9a-f]{32}$/, 'e'.repeat(32));
      const ghost = (version: number) => ({ kind: 'task', record: { ...base, taskArn: ghostArn, version } }) as unknown as TaskState;
      await h.store.upsertIfNewer([ghost(1)]);

      const written = new Map<string, number>();
      let done = false;
      const reconcile = h.reconciler.reconcileCluster(cluster).finally(() => {
        done = true;
      });
      let i = 0;
      while (!done) {
        // New tasks (never seen by this run's listing) and stops of listed ones.
        await fx.run(cluster, 2);
        await fx.stop(cluster, initial[i++ % initial.length] as string);
        await new Promise((r) => setTimeout(r, 5));
        await h.store.upsertIfNewer([ghost(i + 1)]);
        for (const state of [...(await h.ingestEvents()), ghost(i + 1)]) {
          const key = keyForRecord(h.prefix, state);
          if (key.ok) written.set(key.value, Math.max(written.get(key.value) ?? 0, state.record.version));
        }
      }
      const report = await reconcile;

      expect(written.size).toBeGreaterThan(1);
      const stored = await h.stored();
      for (const [key, version] of written) {
        const value = stored.get(key);
        expect(value).toBeDefined();
        expect((JSON.parse(value as string) as { version: number }).version).toBeGreaterThanOrEqual(version);
      }
      expect(report.errors).toEqual([]);
      // The ghost, rewritten during the run, was not deleted (nothing else was missing from ECS).
      expect(report.tasks.deleted).toBe(0);
      expect(report.tasks.unchanged).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
