import { eventually } from '@ecs-state/test-support';
import { VersionedRecordStore } from '../src';
import { EventLog } from './support/event-log';
import { newClient, rec, testCodec, uniquePrefix } from './support/test-records';
import { storeOnSharedEtcd } from './support/test-store';

describe('watch', () => {
  const { client, store } = storeOnSharedEtcd();

  it('delivers puts and deletes under the prefix, in revision order, with the deleted record', async () => {
    const p = uniquePrefix('watch');
    const log = new EventLog();
    const watch = await store.watch(`${p}/`, log.options());
    await store.upsertIfNewer([rec(`${p}/a`, 1), rec(`${p}/b`, 1)]);
    await store.upsertOneIfNewer(rec(`${p}-sibling/x`, 1));
    const a2 = await store.upsertOneIfNewer(rec(`${p}/a`, 2));
    const deleted = await store.deleteIfUnchangedSince(`${p}/b`, a2.revision);

    await eventually('4 events', () => log.events.length >= 4, { timeoutMs: 10_000 });
    expect(log.puts()).toEqual([`${p}/a@1`, `${p}/b@1`, `${p}/a@2`]);
    const last = log.events[3];
    expect(last).toEqual({ type: 'delete', key: `${p}/b`, revision: deleted.revision, previous: rec(`${p}/b`, 1) });
    expect(log.revisions()).toEqual([...log.revisions()].sort((x, y) => x - y));
    expect(watch.lastRevision()).toBe(deleted.revision);
    expect(log.errors).toEqual([]);
    await watch.close();

    // Nothing is delivered after close().
    await store.upsertOneIfNewer(rec(`${p}/a`, 3));
    const after = log.events.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(log.events.length).toBe(after);
  });

  it('replays history from fromRevision, then continues live', async () => {
    const p = uniquePrefix('watch');
    const first = await store.upsertOneIfNewer(rec(`${p}/a`, 1));
    await store.upsertOneIfNewer(rec(`${p}/a`, 2));
    const log = new EventLog();
    const watch = await store.watch(p, log.options(first.revision));
    await store.upsertOneIfNewer(rec(`${p}/a`, 3));
    await eventually('3 events', () => log.events.length >= 3, { timeoutMs: 10_000 });
    expect(log.puts()).toEqual([`${p}/a@1`, `${p}/a@2`, `${p}/a@3`]);
    await watch.close();
  });

  it('starts right after a snapshot without missing or repeating a change', async () => {
    const p = uniquePrefix('watch');
    await store.upsertIfNewer([rec(`${p}/a`, 1), rec(`${p}/b`, 1)]);
    const snap = await store.snapshot(p);
    await store.upsertOneIfNewer(rec(`${p}/a`, 2));
    const log = new EventLog();
    const watch = await store.watch(p, log.options(snap.revision + 1));
    await eventually('1 event', () => log.events.length >= 1, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(log.puts()).toEqual([`${p}/a@2`]);
    await watch.close();
  });

  it('reports undecodable values and keeps watching', async () => {
    const p = uniquePrefix('watch');
    const log = new EventLog();
    const watch = await store.watch(p, log.options());
    await client.put(`${p}/garbage`).value('not json');
    await store.upsertOneIfNewer(rec(`${p}/ok`, 1));
    await eventually('the good record', () => log.events.length >= 1, { timeoutMs: 10_000 });
    expect(log.puts()).toEqual([`${p}/ok@1`]);
    expect(log.errors.map((e) => e.name)).toEqual(['RecordDecodeError']);
    await watch.close();
  });

  it('closing watches, many at once, leaves the etcd client usable (its circuit breaker does not count them as failures)', async () => {
    const own = newClient();
    const ownStore = new VersionedRecordStore({ client: own, codec: testCodec });
    try {
      const p = uniquePrefix('watch');
      const watches = await Promise.all(Array.from({ length: 5 }, () => ownStore.watch(p, new EventLog().options())));
      await Promise.all(watches.map((w) => w.close()));
      await new Promise((r) => setTimeout(r, 100));
      await expect(ownStore.upsertOneIfNewer(rec(`${p}/a`, 1))).resolves.toMatchObject({ status: 'applied' });
      await expect(ownStore.currentRevision()).resolves.toBeGreaterThan(0);
    } finally {
      await ownStore.close();
      own.close();
    }
  });
});
