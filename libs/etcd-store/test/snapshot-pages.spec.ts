import { rec, uniquePrefix, type TestRecord } from './support/test-records';
import { storeOnSharedEtcd } from './support/test-store';

describe('snapshot pages', () => {
  const { store } = storeOnSharedEtcd({ snapshotPageSize: 7 });

  const keyOf = (p: string, i: number) => `${p}/${String(i).padStart(3, '0')}`;

  it('reads every page at the first page revision while writes happen between pages', async () => {
    const p = uniquePrefix('pages');
    await store.upsertIfNewer(Array.from({ length: 30 }, (_, i) => rec(keyOf(p, i), 1)));
    const keys: string[] = [];
    const revisions = new Set<number>();
    let pages = 0;
    for await (const page of store.snapshotPages(p)) {
      pages++;
      expect(page.items.length).toBeLessThanOrEqual(7);
      revisions.add(page.revision);
      for (const item of page.items) {
        expect(item.record.version).toBe(1);
        keys.push(item.key);
      }
      if (pages === 1) {
        // Ahead of the cursor and behind it: none of it belongs to the snapshot.
        await store.upsertIfNewer([rec(keyOf(p, 20), 2), rec(keyOf(p, 1), 2), rec(`${p}/0105`, 1), rec(keyOf(p, 99), 1)]);
        const doomed = await store.get(keyOf(p, 25));
        await store.deleteIfUnchangedSince(keyOf(p, 25), doomed.item?.modRevision ?? 0);
      }
    }
    expect(keys).toEqual(Array.from({ length: 30 }, (_, i) => keyOf(p, i)));
    expect(pages).toBeGreaterThan(1);
    expect(revisions.size).toBe(1);
    const now = await store.snapshot(p);
    expect(now.revision).toBeGreaterThan([...revisions][0] as number);
  });

  it('has the next page requested while the caller holds the current one, and stops reading when the caller stops', async () => {
    const p = uniquePrefix('pages');
    await store.upsertIfNewer(Array.from({ length: 30 }, (_, i) => rec(keyOf(p, i), 1)));
    const before = store.roundTrips().range;
    for await (const page of store.snapshotPages(p)) {
      expect(page.items).toHaveLength(7);
      expect(store.roundTrips().range - before).toBe(2);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.roundTrips().range - before).toBe(2);
  });

  it('reads at a given revision, and an empty prefix is one empty page', async () => {
    const p = uniquePrefix('pages');
    await store.upsertIfNewer(Array.from({ length: 10 }, (_, i) => rec(keyOf(p, i), 1)));
    const at = await store.currentRevision();
    await store.upsertIfNewer([rec(keyOf(p, 3), 2), rec(keyOf(p, 50), 1)]);
    const items: TestRecord[] = [];
    for await (const page of store.snapshotPages(p, { revision: at })) {
      expect(page.revision).toBe(at);
      items.push(...page.items.map((i) => i.record));
    }
    expect(items).toEqual(Array.from({ length: 10 }, (_, i) => rec(keyOf(p, i), 1)));
    const empty: number[] = [];
    for await (const page of store.snapshotPages(uniquePrefix('pages-empty'))) empty.push(page.items.length);
    expect(empty).toEqual([0]);
  });

  it('reads directories larger and smaller than a page, each key once and in order, at one revision', async () => {
    const p = uniquePrefix('pages-dirs');
    // Directories of 1, 30, 3, 16 and 7 keys (pages of 7): ranges bounded by a directory, and pages spanning several.
    const sizes: [string, number][] = [['a', 1], ['b', 30], ['c', 3], ['d', 16], ['e', 7]];
    const written = sizes.flatMap(([dir, n]) => Array.from({ length: n }, (_, i) => keyOf(`${p}/${dir}`, i)));
    await store.upsertIfNewer(written.map((key) => rec(key, 1)));
    const keys: string[] = [];
    const revisions = new Set<number>();
    for await (const page of store.snapshotPages(p)) {
      expect(page.items.length).toBeGreaterThan(0);
      revisions.add(page.revision);
      keys.push(...page.items.map((item) => item.key));
      if (keys.length === 14) {
        // Inside the directory being read, in its gap before the next one, and in later ones: none of it is in the snapshot.
        await store.upsertIfNewer([rec(keyOf(`${p}/b`, 99), 1), rec(`${p}/b0`, 1), rec(`${p}/bb/000`, 1), rec(keyOf(`${p}/d`, 50), 1), rec(keyOf(`${p}/f`, 0), 1)]);
      }
    }
    expect(keys).toEqual(written);
    expect(revisions.size).toBe(1);
  });

  it('gives snapshot() the same ranges, gathered: bounded by each directory once a page lies in one', async () => {
    const p = uniquePrefix('pages-whole');
    // Pages of 7: the second lies in `b/`, so the third ends with it, and a fourth reads what follows `b/` (nothing).
    const sizes: [string, number][] = [['a', 2], ['b', 16]];
    const written = sizes.flatMap(([dir, n]) => Array.from({ length: n }, (_, i) => keyOf(`${p}/${dir}`, i)));
    await store.upsertIfNewer(written.map((key) => rec(key, 1)));
    const at = await store.currentRevision();

    let before = store.roundTrips().range;
    const paged: string[] = [];
    for await (const page of store.snapshotPages(p, { revision: at })) paged.push(...page.items.map((item) => item.key));
    const pagedRanges = store.roundTrips().range - before;

    before = store.roundTrips().range;
    const whole = await store.snapshot(p, { revision: at });
    expect(whole.revision).toBe(at);
    expect(whole.items.map((item) => item.key)).toEqual(written);
    expect(paged).toEqual(written);
    expect(pagedRanges).toBe(4);
    expect(store.roundTrips().range - before).toBe(pagedRanges);
  });
});
