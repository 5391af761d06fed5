import type { Etcd3 } from 'etcd3';
import { InvalidStoreArgumentError, VersionedRecordStore } from '../src';
import { newClient, rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

describe('VersionedRecordStore prefix scans', () => {
  let client: Etcd3;
  let store: VersionedRecordStore<TestRecord>;
  let prefix: string;

  beforeAll(() => {
    client = newClient();
  });
  beforeEach(() => {
    store = new VersionedRecordStore({ client, codec: testCodec });
    prefix = uniquePrefix('scans');
  });
  afterEach(() => store.close());
  afterAll(() => client.close());

  const keys = (n: number, under = prefix) => Array.from({ length: n }, (_, i) => `${under}/k${String(i).padStart(3, '0')}`);

  describe('listKeys', () => {
    it('lists every key under the prefix in key order, page by page, without a sibling prefix', async () => {
      await store.upsertIfNewer(keys(10).map((k) => rec(k, 1)));
      await store.upsertIfNewer([rec(`${prefix}-sibling/k000`, 1), rec(`${prefix}/`.slice(0, -1) + '0', 1)]);
      const before = store.roundTrips().range;

      const listing = await store.listKeys(`${prefix}/`, { pageSize: 3 });

      expect(listing.keys).toEqual(keys(10));
      // 3 + 3 + 3 + 1: four pages, none wasted on an empty tail.
      expect(store.roundTrips().range - before).toBe(4);
      expect(listing.revision).toBe(await store.currentRevision());
    });

    it('reads every page at one revision, so later writes and deletes are not seen', async () => {
      await store.upsertIfNewer(keys(5).map((k) => rec(k, 1)));
      const revision = await store.currentRevision();
      await store.upsertIfNewer(keys(8).map((k) => rec(k, 2)));
      await client.delete().key(keys(1)[0] as string);

      const listing = await store.listKeys(`${prefix}/`, { revision, pageSize: 2 });

      expect(listing).toEqual({ keys: keys(5), revision });
    });

    it('returns nothing for an empty prefix and rejects a bad page size', async () => {
      expect((await store.listKeys(`${prefix}/`)).keys).toEqual([]);
      await expect(store.listKeys(`${prefix}/`, { pageSize: 0 })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    });
  });

  describe('listRaw', () => {
    it('returns stored bytes, including values the codec would reject', async () => {
      await store.upsertOneIfNewer(rec(`${prefix}/good`, 3, 'x'));
      await client.put(`${prefix}/junk`).value('not json');

      const listing = await store.listRaw(`${prefix}/`);

      expect(listing.entries.map((e) => [e.key, e.value.toString()])).toEqual([
        [`${prefix}/good`, JSON.stringify({ key: `${prefix}/good`, version: 3, payload: 'x' })],
        [`${prefix}/junk`, 'not json'],
      ]);
      await expect(store.snapshot(`${prefix}/`)).rejects.toThrow(/cannot decode/);
    });
  });

  describe('listGroups', () => {
    const groupOf = (key: string): string | null => {
      const match = /^(.*\/g\d+\/)/.exec(key);
      return match ? (match[1] as string) : null;
    };

    it('finds each group with one round trip per group, stepping over keys of no group', async () => {
      for (const group of ['g1', 'g2', 'g3']) await store.upsertIfNewer(keys(50, `${prefix}/${group}`).map((k) => rec(k, 1)));
      await client.put(`${prefix}/stray`).value('x');
      const before = store.roundTrips().range;

      const listing = await store.listGroups(`${prefix}/`, groupOf);

      expect(listing.groups).toEqual(
        ['g1', 'g2', 'g3'].map((g) => ({ prefix: `${prefix}/${g}/`, firstKey: `${prefix}/${g}/k000` })),
      );
      // One per group, one for the stray key, one to find the end.
      expect(store.roundTrips().range - before).toBe(5);
    });

    it('reads at the given revision', async () => {
      await store.upsertOneIfNewer(rec(`${prefix}/g1/a`, 1));
      const revision = await store.currentRevision();
      await store.upsertOneIfNewer(rec(`${prefix}/g2/a`, 1));

      expect((await store.listGroups(`${prefix}/`, groupOf, { revision })).groups.map((g) => g.prefix)).toEqual([`${prefix}/g1/`]);
    });

    it('rejects a group prefix that does not hold its key', async () => {
      await store.upsertOneIfNewer(rec(`${prefix}/g1/a`, 1));
      await expect(store.listGroups(`${prefix}/`, () => `${prefix}/elsewhere/`)).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    });
  });

  describe('countUnder and isEmpty', () => {
    it('count the keys under the prefix only', async () => {
      expect(await store.countUnder(`${prefix}/`)).toBe(0);
      expect(await store.isEmpty(`${prefix}/`)).toBe(true);

      await store.upsertIfNewer(keys(7).map((k) => rec(k, 1)));
      await client.put(`${prefix}-other/x`).value('x');

      expect(await store.countUnder(`${prefix}/`)).toBe(7);
      expect(await store.isEmpty(`${prefix}/`)).toBe(false);
      expect(await store.isEmpty(`${prefix}-none/`)).toBe(true);
    });
  });

  describe('modifiedSince', () => {
    it('tells whether a key under the prefix was written after a revision, ignoring writes elsewhere', async () => {
      const first = await store.upsertOneIfNewer(rec(`${prefix}/a`, 1));
      const at = first.revision;

      expect(await store.modifiedSince(`${prefix}/`, at)).toEqual({ modified: false, revision: await store.currentRevision() });
      expect((await store.modifiedSince(`${prefix}/`, at - 1)).modified).toBe(true);

      await client.put(`${prefix}-other/x`).value('x');
      const elsewhere = await store.modifiedSince(`${prefix}/`, at);
      expect(elsewhere.modified).toBe(false);
      expect(elsewhere.revision).toBeGreaterThan(at);

      await store.upsertOneIfNewer(rec(`${prefix}/a`, 2));
      expect((await store.modifiedSince(`${prefix}/`, at)).modified).toBe(true);
    });
  });
});
