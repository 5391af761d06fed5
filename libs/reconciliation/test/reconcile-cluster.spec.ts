import { canonicalJson, keyForRecord, type StateRecord, type TaskState } from '@ecs-state/domain';
import { EcsFixture, FAILING_FAMILY, startHarness, type Harness } from './support/harness';

function diff(actual: Map<string, string>, expected: Map<string, string>): { missing: string[]; extra: string[]; different: string[] } {
  return {
    missing: [...expected.keys()].filter((k) => !actual.has(k)),
    extra: [...actual.keys()].filter((k) => !expected.has(k)),
    different: [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k)),
  };
}

interface TruthService {
  serviceName: string;
  status: string;
  deployments: { status: string; rolloutState?: string }[];
}

/** Passes of the service scheduler (and the task transitions they start) until `done` holds of ECS's services. */
async function tickUntil(h: Harness, done: (services: TruthService[]) => boolean): Promise<void> {
  for (let pass = 0; pass < 50; pass++) {
    if (done((h.sim.groundTruth() as { services: TruthService[] }).services)) return;
    h.sim.ecs?.tickServices();
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`services did not settle: ${JSON.stringify((h.sim.groundTruth() as { services: TruthService[] }).services.map((s) => [s.serviceName, s.status, s.deployments]))}`);
}

const primary = (services: TruthService[], name: string) => services.find((s) => s.serviceName === name)?.deployments.find((d) => d.status === 'PRIMARY');

/**
 * A service whose rollout completed, one whose new task definition failed its health checks
 * (FAILED, rolled back, the rollback COMPLETED), and one deleted (INACTIVE, no longer listed).
 */
async function servicesOfEveryFate(h: Harness, fx: EcsFixture, cluster: string): Promise<void> {
  await fx.service(cluster, 'steady', 2);
  await fx.service(cluster, 'broken', 3);
  await fx.service(cluster, 'doomed', 1);
  await tickUntil(h, (all) => ['steady', 'broken', 'doomed'].every((name) => primary(all, name)?.rolloutState === 'COMPLETED'));
  await fx.updateService(cluster, 'broken', FAILING_FAMILY);
  await fx.deleteService(cluster, 'doomed');
  await tickUntil(
    h,
    (all) =>
      all.find((s) => s.serviceName === 'doomed')?.status === 'INACTIVE' &&
      all.find((s) => s.serviceName === 'broken')?.deployments.length === 1 &&
      primary(all, 'broken')?.rolloutState === 'COMPLETED' &&
      primary(all, 'broken')?.status === 'PRIMARY',
  );
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
      // The minimum: describe cluster, 1 instance list + 1 describe, 3 task lists (RUNNING spans 2 pages), 2 describes, 1 (empty) service list.
      expect(report?.ecsCalls).toBe(1 + 2 + 4 + 2 + 1);
    }
  });

  it('fills services as ECS describes them, ten a call, and leaves out a deleted one', async () => {
    const cluster = await fx.cluster('shop');
    await fx.instance(cluster);
    for (let i = 0; i < 11; i++) await fx.service(cluster, `svc-${i}`, 1);
    await servicesOfEveryFate(h, fx, cluster);
    const truth = h.expected();
    const serviceKeys = [...truth.keys()].filter((k) => k.startsWith(`${h.prefix}/services/`));
    // 11 + steady + broken: doomed is INACTIVE.
    expect(serviceKeys).toHaveLength(13);
    expect(serviceKeys.some((k) => k.endsWith('/doomed'))).toBe(false);

    const [report] = await reconcileAll(h);

    expect(diff(await h.stored(), truth)).toEqual({ missing: [], extra: [], different: [] });
    expect(report).toMatchObject({ services: { added: 13, updated: 0, deleted: 0, unchanged: 0 }, errors: [] });
    // Beside the tasks' and instances' calls: one service list page (100 a page), two describes (10 a call).
    const taskCalls = 1 + 2 + 3 + Math.ceil((report?.tasks.added ?? 0) / 100);
    expect(report?.ecsCalls).toBe(taskCalls + 1 + 2);
    const broken = JSON.parse(truth.get(serviceKeys.find((k) => k.endsWith('/broken')) as string) as string) as { taskDefinition: string };
    expect(broken.taskDefinition).toMatch(/task-definition\/web:/);
  });

  it('deletes a service ECS no longer lists, and keeps the service events the store holds', async () => {
    const cluster = await fx.cluster('gone-services');
    await fx.instance(cluster);
    await fx.service(cluster, 'web', 1);
    await fx.service(cluster, 'worker', 1);
    await tickUntil(h, (all) => all.every((s) => primary(all, s.serviceName)?.rolloutState === 'COMPLETED'));
    await h.ingestEvents();
    await reconcileAll(h);
    const revision = await h.store.currentRevision();
    const [unchanged] = await reconcileAll(h);
    expect(unchanged?.services).toEqual({ added: 0, updated: 0, deleted: 0, unchanged: 2 });
    expect(await h.store.currentRevision()).toBe(revision);

    await fx.deleteService(cluster, 'worker');
    await tickUntil(h, (all) => all.find((s) => s.serviceName === 'worker')?.status === 'INACTIVE');
    const [report] = await reconcileAll(h);

    expect(report?.services).toEqual({ added: 0, updated: 0, deleted: 1, unchanged: 1 });
    const stored = await h.stored();
    const serviceKeys = [...stored.keys()].filter((k) => k.startsWith(`${h.prefix}/services/`));
    expect(serviceKeys.map((k) => k.split('/').pop())).toEqual(['web']);
    expect(diff(stored, h.expected())).toEqual({ missing: [], extra: [], different: [] });
    // The events the ingestor merged stay: a snapshot never removes them.
    const raw = await h.etcd.get(serviceKeys[0] as string).string();
    expect((JSON.parse(raw as string) as { events: { eventName: string }[] }).events.map((e) => e.eventName)).toContain('SERVICE_STEADY_STATE');
  });

  it('reconciles a cluster that holds only services in the store', async () => {
    const cluster = await fx.cluster('only-services');
    await fx.service(cluster, 'web', 0);
    await h.ingestEvents();
    expect(await h.reconciler.storeIsEmpty()).toBe(false);
    expect(await h.reconciler.storedClustersFor(null)).toEqual([cluster]);
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

  it('repairs the drift left by a 20 % event loss, services included', async () => {
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
    // A completed rollout, a failed and rolled-back one, and a deleted service (events stored it, ECS no longer lists it).
    await servicesOfEveryFate(h, fx, a);
    // The transitions are immediate, but events are published asynchronously.
    await new Promise((r) => setTimeout(r, 100));
    await h.ingestEvents();
    const storedBefore = await h.stored();
    const truth = h.expected({ knownInactive: new Set(storedBefore.keys()) });
    const before = diff(storedBefore, truth);
    expect(before.missing.length + before.different.length).toBeGreaterThan(0);

    const reports = await reconcileAll(h);

    expect(diff(await h.stored(), truth)).toEqual({ missing: [], extra: [], different: [] });
    const repaired = reports.reduce((n, r) => n + r.tasks.added + r.tasks.updated + r.instances.added + r.instances.updated + (r.services?.added ?? 0) + (r.services?.updated ?? 0), 0);
    expect(repaired).toBe(before.missing.length + before.different.length);
    expect(reports.reduce((n, r) => n + r.tasks.deleted + r.instances.deleted + (r.services?.deleted ?? 0), 0)).toBe(before.extra.length);
    expect([...truth.keys()].filter((k) => k.startsWith(`${h.prefix}/services/`))).toHaveLength(2);
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
