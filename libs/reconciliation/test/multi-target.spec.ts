import { createEcsClient, EcsUnavailableError, MultiTargetReconciler, RequestBudget, TargetIdentity } from '../src';
import { CREDENTIALS, EcsFixture, startHarness, type Harness } from './support/harness';

const A = { accountId: '111111111111', region: 'us-east-1' };
const B = { accountId: '222222222222', region: 'eu-west-1' };

describe('reconciling several targets into one store', () => {
  let a: Harness;
  let b: Harness;
  let both: MultiTargetReconciler;
  const planFailures: string[] = [];
  const outside: string[] = [];

  beforeEach(async () => {
    a = await startHarness(A);
    b = await startHarness({ ...B, prefix: a.prefix, maxAttempts: 1 });
    both = new MultiTargetReconciler({
      targets: [
        { target: TargetIdentity.ofRegion(A.region, A.accountId), ecs: a.ecs },
        { target: TargetIdentity.ofRegion(B.region, B.accountId), ecs: b.ecs },
      ],
      store: a.reconciler.store,
      onPlanFailure: (target) => planFailures.push(target),
      onOutsideTargets: (clusters) => outside.push(...clusters),
    });
    planFailures.length = 0;
    outside.length = 0;
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('repairs the drift of both, each cluster through its own target, with names applying to every target', async () => {
    const clusters: string[] = [];
    for (const [h, fx] of [[a, new EcsFixture(a.admin)], [b, new EcsFixture(b.admin)]] as const) {
      h.sim.faults.update({ seed: 3, events: { dropRate: 0.3 } });
      const web = await fx.cluster('web');
      await fx.instance(web);
      const tasks = await fx.run(web, 20);
      for (const task of tasks.slice(0, 4)) await fx.stop(web, task);
      clusters.push(web);
      await new Promise((r) => setTimeout(r, 50));
      await h.ingestEvents();
    }
    const [aWeb, bWeb] = clusters as [string, string];

    expect(await both.planClusters(['web'])).toEqual([aWeb, bWeb].sort());
    expect(await both.planClusters([bWeb])).toEqual([bWeb]);
    const planned = await both.planClusters(null);
    expect(planned).toEqual([aWeb, bWeb].sort());
    const reports = [];
    for (const cluster of planned) reports.push(await both.reconcileCluster(cluster));

    const stored = await a.stored();
    expect(stored).toEqual(new Map([...a.expected(), ...b.expected()]));
    expect(reports.map((r) => [r.cluster, r.target, r.outcome])).toEqual(
      [
        [aWeb, `aws/us-east-1/${A.accountId}`, 'reconciled'],
        [bWeb, `aws/eu-west-1/${B.accountId}`, 'reconciled'],
      ].sort(),
    );
    expect(reports.every((r) => r.tasks.added + r.tasks.updated + r.instances.updated > 0)).toBe(true);
    // Two simulated accounts' worth of ECS calls and etcd writes: on a busy 2-core machine this
    // has taken longer than the default 30 s.
  }, 90_000);

  it('plans the other targets and the stored clusters of one whose ECS fails; ignores ARNs of no target', async () => {
    const bWeb = await new EcsFixture(b.admin).cluster('web');
    const aWeb = await new EcsFixture(a.admin).cluster('web');
    await new EcsFixture(b.admin).instance(bWeb);
    await new Promise((r) => setTimeout(r, 50));
    await b.ingestEvents();
    b.sim.faults.update({ ecs: { errorRate: 1 } });
    const stranger = 'arn:aws:ecs:ap-south-1:333333333333:cluster/web';

    expect(await both.planClusters(null)).toEqual([aWeb, bWeb].sort());
    expect(planFailures).toEqual([`aws/eu-west-1/${B.accountId}`]);
    expect(await both.planClusters([stranger, aWeb])).toEqual([aWeb]);
    expect(outside).toEqual([stranger]);
    await expect(both.reconcileCluster(stranger)).rejects.toThrow(/no target of this reconciler reads/);
    await expect(both.reconcileCluster(bWeb)).rejects.toThrow();
    // The failure of B changed none of its records.
    expect([...(await a.stored()).keys()].filter((k) => k.includes(`/${B.accountId}/`))).toHaveLength(1);
  });

  it('when no target\'s ECS answers in time, plans their stored clusters, whose reconciles fail as "ECS API timed out" and change nothing', async () => {
    const bWeb = await new EcsFixture(b.admin).cluster('web');
    await new EcsFixture(b.admin).instance(bWeb);
    await new Promise((r) => setTimeout(r, 50));
    await b.ingestEvents();
    const before = await a.stored();
    // Both simulators answer, but long after the clients' request timeout.
    for (const h of [a, b]) h.sim.faults.update({ ecs: { latencyMs: 1000 } });
    const slow = (h: Harness, region: string) =>
      createEcsClient({ region, endpoint: h.sim.endpoint, credentials: CREDENTIALS, maxAttempts: 2, requestTimeoutMs: 200, budget: new RequestBudget(1000) });
    const clients = [slow(a, A.region), slow(b, B.region)] as const;
    const down = new MultiTargetReconciler({
      targets: [
        { target: TargetIdentity.ofRegion(A.region, A.accountId), ecs: clients[0] },
        { target: TargetIdentity.ofRegion(B.region, B.accountId), ecs: clients[1] },
      ],
      store: a.reconciler.store,
      onPlanFailure: (target, error) => planFailures.push(`${target}: ${(error as Error).message}`),
    });

    expect(await down.planClusters(null)).toEqual([bWeb]);
    expect(planFailures).toEqual([
      expect.stringMatching(new RegExp(`^aws/us-east-1/${A.accountId}: ECS API timed out: ListClusters got no answer after 2 attempts \\(.*200 ms`)),
      expect.stringMatching(new RegExp(`^aws/eu-west-1/${B.accountId}: ECS API timed out: ListClusters got no answer after 2 attempts \\(.*200 ms`)),
    ]);
    const failure = down.reconcileCluster(bWeb);
    await expect(failure).rejects.toBeInstanceOf(EcsUnavailableError);
    await expect(failure).rejects.toThrow(/^ECS API timed out: DescribeClusters got no answer/);
    expect(await a.stored()).toEqual(before);
    // Nothing stored to plan either: the plan itself fails, saying why.
    await expect(down.planClusters(['nothing-stored'])).rejects.toThrow(/^ECS API timed out: DescribeClusters/);
    for (const h of [a, b]) h.sim.faults.update({ ecs: { latencyMs: 0 } });
    for (const client of clients) client.destroy();
  });
});
