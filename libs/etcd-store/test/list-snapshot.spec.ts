import { InvalidContinueTokenError, InvalidStoreArgumentError, RecordDecodeError, VersionedRecordStore } from '../src';
import { rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';
import { storeOnSharedEtcd } from './support/test-store';

describe('list and snapshot', () => {
  const { client, store } = storeOnSharedEtcd({ snapshotPageSize: 7 });

  const keyOf = (p: string, i: number) => `${p}/${String(i).padStart(3, '0')}`;

  async function seed(p: string, n: number): Promise<void> {
    await store.upsertIfNewer(Array.from({ length: n }, (_, i) => rec(keyOf(p, i), 1)));
  }

  it('get returns null and the header revision for a missing key', async () => {
    const result = await store.get(`${uniquePrefix('list')}/missing`);
    expect(result.item).toBeNull();
    expect(result.revision).toBe(await store.currentRevision());
  });

  it('pages stay on one snapshot while writes, deletes and inserts happen between them', async () => {
    const p = uniquePrefix('list');
    await seed(p, 25);
    const first = await store.list(p, { limit: 10 });
    expect(first.items.map((i) => i.key)).toEqual(Array.from({ length: 10 }, (_, i) => keyOf(p, i)));
    expect(first.continueToken).toBeDefined();

    // Concurrent changes after the first page: update, delete, insert ahead of and behind the cursor.
    await store.upsertIfNewer([rec(keyOf(p, 15), 2), rec(keyOf(p, 2), 2), rec(`${p}/0105`, 1), rec(keyOf(p, 99), 1)]);
    const target = await store.get(keyOf(p, 20));
    await store.deleteIfUnchangedSince(keyOf(p, 20), target.item?.modRevision ?? 0);

    const keys = first.items.map((i) => i.key);
    const versions = first.items.map((i) => i.record.version);
    let token = first.continueToken;
    while (token !== undefined) {
      const page = await store.list(p, { limit: 10, continueToken: token });
      expect(page.revision).toBe(first.revision);
      keys.push(...page.items.map((i) => i.key));
      versions.push(...page.items.map((i) => i.record.version));
      token = page.continueToken;
    }
    expect(keys).toEqual(Array.from({ length: 25 }, (_, i) => keyOf(p, i)));
    expect(versions.every((v) => v === 1)).toBe(true);

    // A fresh listing sees the changes.
    const now = await store.snapshot(p);
    expect(now.items).toHaveLength(26);
    expect(now.revision).toBeGreaterThan(first.revision);
    expect(now.items.find((i) => i.key === keyOf(p, 15))?.record.version).toBe(2);
  });

  it('snapshot gathers every page at one revision, also at an older revision', async () => {
    const p = uniquePrefix('list');
    await seed(p, 20);
    const before = await store.currentRevision();
    await store.upsertIfNewer([rec(keyOf(p, 3), 5), rec(keyOf(p, 30), 1)]);
    const old = await store.snapshot(p, { revision: before });
    expect(old.revision).toBe(before);
    expect(old.items).toHaveLength(20);
    expect(old.items.every((i) => i.record.version === 1)).toBe(true);
    const current = await store.snapshot(p);
    expect(current.items).toHaveLength(21);
  });

  it('does not return keys that merely share the textual prefix of a sibling', async () => {
    const p = uniquePrefix('list');
    await store.upsertIfNewer([rec(`${p}/a/1`, 1), rec(`${p}/ab/1`, 1)]);
    const page = await store.list(`${p}/a/`, { limit: 10 });
    expect(page.items.map((i) => i.key)).toEqual([`${p}/a/1`]);
    expect(page.continueToken).toBeUndefined();
  });

  it('rejects tokens it did not issue, or issued for another prefix', async () => {
    const p = uniquePrefix('list');
    await seed(p, 3);
    const page = await store.list(p, { limit: 1 });
    const token = page.continueToken as string;
    await expect(store.list(p, { limit: 1, continueToken: 'not a token!' })).rejects.toBeInstanceOf(InvalidContinueTokenError);
    await expect(store.list(p, { limit: 1, continueToken: Buffer.from('{"v":1}').toString('base64url') })).rejects.toBeInstanceOf(
      InvalidContinueTokenError,
    );
    await expect(store.list(`${p}/other`, { limit: 1, continueToken: token })).rejects.toThrow('issued for a different listing');
    await expect(store.list(p, { limit: 0 })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    await expect(store.list(p, { limit: 1, continueToken: token, revision: page.revision + 1 })).rejects.toBeInstanceOf(
      InvalidStoreArgumentError,
    );
  });

  it('a record that does not decode fails the snapshot with its key, while the next page is already on its way', async () => {
    const p = uniquePrefix('list');
    await seed(p, 40);
    await client.put(keyOf(p, 17)).value('not json');
    // Pages of 7: the bad record is in the third page, the fourth is asked for before it is decoded.
    const failure = store.snapshot(p);
    await expect(failure).rejects.toBeInstanceOf(RecordDecodeError);
    await expect(failure).rejects.toThrow(keyOf(p, 17));
  });

  it('asks etcd for the next page before decoding the one it has, so that etcd works while the records are decoded', async () => {
    const p = uniquePrefix('list');
    await seed(p, 12);
    const rangesAtDecode: number[] = [];
    const watched: VersionedRecordStore<TestRecord> = new VersionedRecordStore({
      client,
      snapshotPageSize: 5,
      codec: {
        ...testCodec,
        decode: (key, bytes) => {
          rangesAtDecode.push(watched.roundTrips().range);
          return testCodec.decode(key, bytes);
        },
      },
    });
    const snapshot = await watched.snapshot(p);
    expect(snapshot.items).toHaveLength(12);
    // Pages of 5, 5 and 2: while page n is decoded, page n + 1 has been asked for. The first page lies in one
    // directory (`<p>/`), so the later ranges end with it, and the last is followed by one range over what lies
    // after that directory under the prefix (nothing here), asked for while the last page is decoded.
    expect(rangesAtDecode).toEqual([...Array(5).fill(2), ...Array(5).fill(3), 4, 4]);
  });
});
