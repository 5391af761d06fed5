import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import { StateView, type ViewChange } from '../src';
import { newClient, task, uniquePrefix, writer } from './support/records';

describe('StateView load in pages', () => {
  let client: Etcd3;

  beforeAll(() => {
    client = newClient();
  });
  afterAll(() => client.close());

  it('loads a prefix of many pages while writes go on, then misses and repeats nothing', async () => {
    const prefix = uniquePrefix('paged-load');
    const store = writer(client, prefix);
    const ids = Array.from({ length: 3000 }, (_, i) => `t${String(i).padStart(4, '0')}`);
    for (let i = 0; i < ids.length; i += 500) await store.upsertIfNewer(ids.slice(i, i + 500).map((id) => task({ id })));
    const view = new StateView({ client, prefix, historySize: 10_000, probeIntervalMs: 100, maxStalenessMs: 2000 });
    // Updates, new tasks and deletes all through the load (which reads in several ranges) and after it.
    let loaded = false;
    let round = 0;
    const writes = (async () => {
      for (let after = 0; after < 5; round++) {
        if (loaded) after++;
        const version = 2 + round;
        await store.upsertIfNewer([...ids.filter((_, i) => i % 97 === round % 97).map((id) => task({ id, version, lastStatus: 'STOPPED' })), task({ id: `n${round}` })]);
        const doomed = `${prefix}/tasks/aws/us-west-2/111122223333/FargateCluster/${ids[(round * 31) % ids.length]}`;
        const stored = await store.get(doomed);
        if (stored.item) await store.deleteIfUnchangedSince(doomed, stored.item.modRevision);
      }
    })();
    await view.start();
    loaded = true;
    const loadedAt = view.revision;
    const changes: ViewChange[] = [];
    view.subscribe(view.revision, (batch) => changes.push(...batch), () => undefined);
    await writes;
    try {
      const etcd = await store.snapshot(`${prefix}/`);
      await eventually('the view reaches the last write', () => view.revision >= etcd.revision);
      // At least the five rounds written after the load reached the subscription.
      expect(new Set(changes.map((c) => c.key)).size).toBeGreaterThanOrEqual(5);
      const inView = [...view.list({ kind: 'task', limit: Number.POSITIVE_INFINITY }).items].map((e) => [e.key, e.modRevision]);
      expect(inView).toEqual(etcd.items.map((i) => [i.key, i.modRevision]).sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)));
      // Every change after the load once, in revision order.
      const revisions = changes.map((c) => c.revision);
      expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
      expect(new Set(changes.map((c) => `${c.key}@${c.revision}`)).size).toBe(changes.length);
      expect(revisions[0]).toBeGreaterThan(loadedAt);
    } finally {
      await view.stop();
    }
  });
});
