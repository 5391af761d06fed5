import { eventually } from '@ecs-state/test-support';
import { createReconcileClient, startReconcileWorker, type ReconcileClient, type ReconcileRunView, type ReconcileWorker } from '../src';
import { okReport, quietLogger, redisUrl, uniquePrefix } from './support';

const CLUSTERS = ['arn:aws:ecs:us-east-1:123456789012:cluster/a', 'arn:aws:ecs:us-east-1:123456789012:cluster/b', 'arn:aws:ecs:us-east-1:123456789012:cluster/c'];

function finished(client: ReconcileClient, id: string): Promise<ReconcileRunView> {
  return eventually(`run ${id} to finish`, async () => {
    const view = await client.get(id);
    return view !== null && (view.state === 'completed' || view.state === 'failed') ? view : null;
  }, { timeoutMs: 20_000 });
}

describe('reconcile runs over BullMQ', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  function worker(prefix: string, calls: string[], overrides: Partial<Parameters<typeof startReconcileWorker>[0]> = {}): ReconcileWorker {
    const w = startReconcileWorker({
      connection: redisUrl(),
      prefix,
      concurrency: 2,
      clusterBackoffMs: 50,
      lockBusyDelayMs: 50,
      logger: quietLogger,
      planClusters: async (requested) => requested ?? CLUSTERS,
      reconcileCluster: async (cluster) => {
        calls.push(cluster);
        await new Promise((r) => setTimeout(r, 30));
        return okReport(cluster);
      },
      ...overrides,
    });
    open.push(w);
    return w;
  }

  it('fans a run out per cluster, with two replicas reconciling each cluster exactly once', async () => {
    const prefix = uniquePrefix();
    const calls: string[] = [];
    worker(prefix, calls);
    worker(prefix, calls);
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);

    const { id, coalesced } = await client.enqueue();
    expect(coalesced).toBe(false);
    const view = await finished(client, id);

    expect(view.state).toBe('completed');
    expect(view.trigger).toBe('manual');
    expect(view.requestedClusters).toBeNull();
    expect(view.plannedClusters).toBe(3);
    expect(view.report?.clusters.map((c) => c.cluster)).toEqual(CLUSTERS);
    expect(view.report?.totals).toMatchObject({ clusters: 3, failedClusters: 0, ecsCalls: 9, tasks: { added: 3 } });
    expect([...calls].sort()).toEqual(CLUSTERS);
  });

  it('coalesces triggers that arrive while a run of the same scope (or of every cluster) is active', async () => {
    const prefix = uniquePrefix();
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);

    // No worker yet: the first run stays queued.
    const first = await client.enqueue();
    const second = await client.enqueue([]);
    const subset = await client.enqueue(['b']);
    expect(second).toEqual({ id: first.id, coalesced: true });
    expect(subset).toEqual({ id: first.id, coalesced: true });
    expect((await client.get(first.id))?.state).toBe('queued');

    const calls: string[] = [];
    worker(prefix, calls);
    await finished(client, first.id);
    expect(calls).toHaveLength(3);

    // Once finished, a new trigger starts a new run; two list runs with the same set coalesce.
    const listed = await client.enqueue(['b', 'a']);
    const same = await client.enqueue(['a', 'b', 'a']);
    expect(listed.coalesced).toBe(false);
    expect(listed.id).not.toBe(first.id);
    expect(same).toEqual({ id: listed.id, coalesced: true });
    const view = await finished(client, listed.id);
    expect(view.requestedClusters).toEqual(['a', 'b']);
    expect(view.report?.clusters.map((c) => c.cluster)).toEqual(['a', 'b']);
  });

  it('retries a failing cluster with backoff and reports it failed without failing the others', async () => {
    const prefix = uniquePrefix();
    const calls: string[] = [];
    worker(prefix, calls, {
      clusterAttempts: 3,
      reconcileCluster: async (cluster) => {
        calls.push(cluster);
        if (cluster.endsWith('/b')) throw new Error('ECS said no');
        return okReport(cluster);
      },
    });
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);

    const { id } = await client.enqueue();
    const view = await finished(client, id);

    expect(view.state).toBe('completed');
    expect(calls.filter((c) => c.endsWith('/b'))).toHaveLength(3);
    expect(calls.filter((c) => c.endsWith('/a'))).toHaveLength(1);
    const b = view.report?.clusters.find((c) => c.cluster.endsWith('/b'));
    expect(b).toMatchObject({ outcome: 'failed', errors: ['ECS said no'] });
    expect(view.report?.totals.failedClusters).toBe(1);
  });

  it('counts a cluster that ran out of attempts as over while the run is still running', async () => {
    const prefix = uniquePrefix();
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    worker(prefix, calls, {
      clusterAttempts: 1,
      planClusters: async () => [CLUSTERS[0] as string, CLUSTERS[1] as string],
      reconcileCluster: async (cluster) => {
        calls.push(cluster);
        if (cluster === CLUSTERS[0]) throw new Error('ECS said no');
        await held;
        return okReport(cluster);
      },
    });
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);

    const { id } = await client.enqueue();
    const running = await eventually('the failed cluster to be counted', async () => {
      const view = await client.get(id);
      return view?.report?.totals.clusters === 1 ? view : null;
    }, { timeoutMs: 15_000 }).finally(release);

    expect(running.state).toBe('running');
    expect(running.plannedClusters).toBe(2);
    expect(running.report?.clusters).toEqual([expect.objectContaining({ cluster: CLUSTERS[0], outcome: 'failed', errors: ['ECS said no'] })]);
    expect(running.report?.totals.failedClusters).toBe(1);
    expect((await finished(client, id)).report?.totals).toMatchObject({ clusters: 2, failedClusters: 1 });
  });

  it('never reconciles one cluster twice at the same time, even across overlapping runs', async () => {
    const prefix = uniquePrefix();
    let active = 0;
    let maxActive = 0;
    const calls: string[] = [];
    const overlap = {
      planClusters: async () => [CLUSTERS[0] as string],
      reconcileCluster: async (cluster: string) => {
        calls.push(cluster);
        active += 1;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 150));
        active -= 1;
        return okReport(cluster);
      },
    };
    worker(prefix, calls, overlap);
    worker(prefix, calls, overlap);
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);

    // Two different scopes, so not coalesced, both planning the same cluster.
    const p = await client.enqueue(['p']);
    const q = await client.enqueue(['q']);
    expect(q.coalesced).toBe(false);
    await finished(client, p.id);
    await finished(client, q.id);
    expect(calls).toHaveLength(2);
    expect(maxActive).toBe(1);
  });

  it('returns null for unknown or malformed ids', async () => {
    const client = createReconcileClient({ connection: redisUrl(), prefix: uniquePrefix() });
    open.push(client);
    expect(await client.get('00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await client.get('../etc')).toBeNull();
  });

  it('turns scheduler ticks into runs', async () => {
    const prefix = uniquePrefix();
    const calls: string[] = [];
    const w = worker(prefix, calls);
    await w.schedule(200);
    await eventually('a scheduled run', async () => calls.length >= 3, { timeoutMs: 20_000 });
    await w.schedule(null);
  });

  it('lists the newest runs first, queued, running and finished alike, and only runs', async () => {
    const prefix = uniquePrefix();
    const client = createReconcileClient({ connection: redisUrl(), prefix });
    open.push(client);
    expect(await client.list(10)).toEqual([]);

    const calls: string[] = [];
    const w = worker(prefix, calls);
    const done = await client.enqueue([CLUSTERS[0]!]);
    await finished(client, done.id);
    await w.close();
    // No worker any more: the next two stay queued.
    const second = await client.enqueue([CLUSTERS[1]!]);
    // Runs are ordered by their request time in milliseconds.
    await new Promise((r) => setTimeout(r, 5));
    const third = await client.enqueue([CLUSTERS[2]!]);

    const runs = await client.list(10);
    expect(runs.map((run) => [run.id, run.state])).toEqual([
      [third.id, 'queued'],
      [second.id, 'queued'],
      [done.id, 'completed'],
    ]);
    expect(runs[2]?.report?.totals.clusters).toBe(1);
    expect((await client.list(2)).map((run) => run.id)).toEqual([third.id, second.id]);
    await expect(client.list(0)).rejects.toThrow(RangeError);
  });
});
