import { Reconciler, TargetIdentity, TargetMismatchError } from '../src';
import { EcsFixture, startHarness, type Harness } from './support/harness';

const A = { accountId: '111111111111', region: 'us-east-1' };
const B = { accountId: '222222222222', region: 'eu-west-1' };

async function reconcileAll(h: Harness) {
  const reports = [];
  for (const cluster of await h.reconciler.planClusters(null)) reports.push(await h.reconciler.reconcileCluster(cluster));
  return reports;
}

/** Every key of one account and region with its value and last-modified revision. */
async function kvsOf(h: Harness, account: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const kind of ['tasks', 'instances']) {
    const { kvs } = await h.etcd.getAll().prefix(`${h.prefix}/${kind}/`).exec();
    for (const kv of kvs) {
      const key = kv.key.toString();
      if (key.split('/').includes(account)) out.set(key, `${kv.mod_revision} ${kv.value.toString()}`);
    }
  }
  return out;
}

describe('a reconcile stays within its account and region', () => {
  let a: Harness;
  let b: Harness;
  let fa: EcsFixture;
  let fb: EcsFixture;
  let aWeb: string;
  let bWeb: string;

  beforeEach(async () => {
    a = await startHarness(A);
    b = await startHarness({ ...B, prefix: a.prefix });
    fa = new EcsFixture(a.admin);
    fb = new EcsFixture(b.admin);
    // The same cluster name in both accounts, and a cluster only the other account has.
    aWeb = await fa.cluster('web');
    bWeb = await fb.cluster('web', 'short');
    const bBatch = await fb.cluster('batch');
    for (const [fx, cluster] of [[fa, aWeb], [fb, bWeb]] as const) {
      await fx.instance(cluster);
      await fx.run(cluster, 5);
    }
    await fb.run(bBatch, 3, 'FARGATE');
    // Both accounts' events land in the one store, as one queue fed by both would deliver them.
    await new Promise((r) => setTimeout(r, 50));
    await b.ingestEvents();
  });
  afterEach(async () => {
    await b.close();
    await a.close();
  });

  it('repairs its own records and never changes or deletes those of another account and region', async () => {
    expect(await a.reconciler.storeIsEmpty()).toBe(true);
    await a.ingestEvents();
    expect(await a.reconciler.storeIsEmpty()).toBe(false);
    // Drift in A: tasks whose events were lost.
    a.sim.faults.update({ events: { dropRate: 1 } });
    await fa.run(aWeb, 3);
    const others = await kvsOf(a, B.accountId);
    expect(others.size).toBe(1 + 5 + 3);

    const reports = await reconcileAll(a);

    expect(await kvsOf(a, B.accountId)).toEqual(others);
    expect(reports.map((r) => r.cluster)).toEqual([aWeb]);
    expect(reports[0]).toMatchObject({ target: `aws/us-east-1/${A.accountId}`, outcome: 'reconciled', tasks: { added: 3, deleted: 0 } });
    const stored = await a.stored();
    for (const [key, value] of a.expected()) expect(stored.get(key)).toBe(value);
    expect((await a.reconciler.target()).id).toBe(`aws/us-east-1/${A.accountId}`);
  });

  it('resolves a cluster name within its target, and leaves the ARNs of other targets alone', async () => {
    await a.ingestEvents();
    const others = await kvsOf(a, B.accountId);

    expect(await a.reconciler.planClusters(['web'])).toEqual([aWeb]);
    expect(await a.reconciler.planClusters([bWeb, 'batch'])).toEqual([]);
    await expect(a.reconciler.reconcileCluster(bWeb)).rejects.toBeInstanceOf(TargetMismatchError);

    expect(await kvsOf(a, B.accountId)).toEqual(others);
  });

  it('changes nothing when its credentials reach another account than the configured one', async () => {
    await a.ingestEvents();
    const before = new Map([...(await kvsOf(a, A.accountId)), ...(await kvsOf(a, B.accountId))]);
    // Configured for account A in us-east-1, but the client reads B.
    const misrouted = new Reconciler({
      ecs: b.ecs,
      store: a.reconciler.store,
      target: TargetIdentity.ofRegion(A.region, A.accountId),
    });

    await expect(misrouted.planClusters(null)).rejects.toThrow(/reach another account or region/);
    await expect(misrouted.reconcileCluster(aWeb)).rejects.toBeInstanceOf(TargetMismatchError);

    expect(new Map([...(await kvsOf(a, A.accountId)), ...(await kvsOf(a, B.accountId))])).toEqual(before);
  });
});
