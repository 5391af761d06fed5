import { rec, uniquePrefix } from './support/test-records';
import { storeOnSharedEtcd } from './support/test-store';

describe('deleteIfUnchangedSince', () => {
  const { store } = storeOnSharedEtcd();

  it('deletes a record not written since the given revision', async () => {
    const key = `${uniquePrefix('delete')}/k`;
    const written = await store.upsertOneIfNewer(rec(key, 1));
    const later = await store.currentRevision();
    const outcome = await store.deleteIfUnchangedSince(key, later);
    expect(outcome).toMatchObject({ status: 'deleted', key });
    expect(outcome.revision).toBeGreaterThan(written.revision);
    expect((await store.get(key)).item).toBeNull();
  });

  it('deletes at exactly the revision of the last write', async () => {
    const key = `${uniquePrefix('delete')}/k`;
    const written = await store.upsertOneIfNewer(rec(key, 1));
    expect((await store.deleteIfUnchangedSince(key, written.revision)).status).toBe('deleted');
  });

  it('loses to a newer write, which stays stored', async () => {
    const key = `${uniquePrefix('delete')}/k`;
    await store.upsertOneIfNewer(rec(key, 1));
    const observedAt = await store.currentRevision();
    const newer = await store.upsertOneIfNewer(rec(key, 2));
    const outcome = await store.deleteIfUnchangedSince(key, observedAt);
    expect(outcome).toMatchObject({ status: 'newer', modRevision: newer.revision });
    expect((await store.get(key)).item?.record.version).toBe(2);
  });

  it('reports absent keys and handles a mixed batch in one call', async () => {
    const p = uniquePrefix('delete');
    await store.upsertIfNewer([rec(`${p}/old1`, 1), rec(`${p}/old2`, 1), rec(`${p}/fresh`, 1)]);
    const observedAt = await store.currentRevision();
    await store.upsertOneIfNewer(rec(`${p}/fresh`, 2));
    const before = store.roundTrips().txn;
    const outcomes = await store.deleteManyIfUnchangedSince([
      { key: `${p}/old1`, revision: observedAt },
      { key: `${p}/fresh`, revision: observedAt },
      { key: `${p}/missing`, revision: observedAt },
      { key: `${p}/old2`, revision: observedAt },
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['deleted', 'newer', 'absent', 'deleted']);
    // A failed guard returns fresh state; the still-deletable keys go in one more Txn.
    expect(store.roundTrips().txn - before).toBe(2);
    const left = await store.snapshot(p);
    expect(left.items.map((i) => i.key)).toEqual([`${p}/fresh`]);
  });
});
