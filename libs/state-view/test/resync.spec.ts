import { parseKeyPrefix } from '@ecs-state/domain';
import { TcpProxy } from '@ecs-state/local-services';
import { describeOnDedicatedEtcd } from '@ecs-state/test-services';
import { Etcd3 } from 'etcd3';
import { StateView, type SubscriptionEndReason, type ViewChange } from '../src';
import { task, writer } from './support/records';

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
async function eventually(what: string, check: () => boolean, { timeoutMs = 5000 } = {}): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); ) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The reflector's reload: etcd compacts past the revision the view's watch must
 * resume from, so the view cannot follow and lists again. Dedicated etcd (it is
 * compacted); the view reaches it through a proxy that is cut and restored.
 */
describeOnDedicatedEtcd('StateView after etcd compacted past its watch', (etcd) => {
  let proxy: TcpProxy;
  let direct: Etcd3;
  let viaProxy: Etcd3;

  beforeAll(async () => {
    proxy = new TcpProxy(etcd().port);
    await proxy.open();
    direct = new Etcd3({ hosts: etcd().endpoint, dialTimeout: 1000 });
    viaProxy = new Etcd3({ hosts: proxy.endpoint, dialTimeout: 1000 });
  }, 30_000);
  afterAll(async () => {
    await proxy.cut();
    viaProxy.close();
    direct.close();
  });

  it('reloads a snapshot, ends subscribers with view_resync, restarts its history and follows again', async () => {
    const parsed = parseKeyPrefix('/state-view-resync');
    if (!parsed.ok) throw new Error(parsed.message);
    const prefix = parsed.value;
    const store = writer(direct, prefix);
    const keyOf = (id: string) => `${prefix}/tasks/aws/us-west-2/111122223333/FargateCluster/${id}`;
    await store.upsertOneIfNewer(task({ id: 'r1' }));
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (message: string) => void warnings.push(message), error: () => undefined };
    const view = new StateView({ client: viaProxy, prefix, historySize: 100, probeIntervalMs: 100, maxStalenessMs: 2000, logger });
    await view.start();
    try {
      const loadedAt = view.revision;
      const ends: SubscriptionEndReason[] = [];
      const before: ViewChange[] = [];
      view.subscribe(loadedAt, (changes) => before.push(...changes), (reason) => ends.push(reason));

      await proxy.cut();
      await eventually('the view to lose its watch', () => warnings.includes('state view lost its etcd watch; reconnecting'), { timeoutMs: 10_000 });
      await store.upsertOneIfNewer(task({ id: 'r1', version: 2, lastStatus: 'STOPPED' }));
      const { revision: compactAt } = await store.upsertOneIfNewer(task({ id: 'r2' }));
      await direct.kv.compact({ revision: compactAt, physical: true });
      await proxy.open();

      await eventually('the reload', () => view.get(keyOf('r2')) !== undefined, { timeoutMs: 20_000 });
      expect(warnings).toContain('state view watch ended; reloading');
      expect(ends).toEqual(['view_resync']);
      expect(before).toEqual([]);
      expect(view.get(keyOf('r1'))?.state.record).toMatchObject({ lastStatus: 'STOPPED', version: 2 });
      expect(view.status()).toMatchObject({ resyncs: 1, tasks: 2, subscribers: 0 });
      expect(view.status().historyCompleteAfter).toBeGreaterThanOrEqual(compactAt);
      expect(view.canServeFrom(loadedAt)).toBe(false);
      await eventually('the view back in sync', () => view.status().inSync, { timeoutMs: 10_000 });

      const after: ViewChange[] = [];
      view.subscribe(view.revision, (changes) => after.push(...changes), () => undefined);
      await store.upsertOneIfNewer(task({ id: 'r3' }));
      await eventually('the change after the reload', () => after.length > 0);
      expect(after.map((change) => [change.type, change.key])).toEqual([['put', keyOf('r3')]]);
    } finally {
      await view.stop();
    }
  }, 60_000);
});
