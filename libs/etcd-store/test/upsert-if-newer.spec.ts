import type { Etcd3 } from 'etcd3';
import { InvalidStoreArgumentError, VersionedRecordStore, type UpsertOutcome } from '../src';
import { newClient, rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

describe('upsertIfNewer', () => {
  let client: Etcd3;
  let store: VersionedRecordStore<TestRecord>;

  beforeAll(() => {
    client = newClient();
    store = new VersionedRecordStore({ client, codec: testCodec });
  });
  afterAll(() => client.close());

  async function storedVersion(key: string): Promise<number | undefined> {
    return (await store.get(key)).item?.record.version;
  }

  it('writes new keys and reports the revision at which they became durable', async () => {
    const p = uniquePrefix('upsert');
    const [a, b] = await store.upsertIfNewer([rec(`${p}/a`, 1), rec(`${p}/b`, 7)]);
    expect(a).toMatchObject({ status: 'applied', key: `${p}/a`, version: 1 });
    expect(b).toMatchObject({ status: 'applied', version: 7 });
    const got = await store.get(`${p}/b`);
    expect(got.item?.record).toEqual(rec(`${p}/b`, 7));
    expect(got.item?.modRevision).toBe(b?.revision);
    expect(got.item?.createRevision).toBe(b?.revision);
    expect(got.revision).toBeGreaterThanOrEqual(b?.revision ?? Infinity);
  });

  it('keeps the newer version when versions arrive out of order', async () => {
    const key = `${uniquePrefix('upsert')}/k`;
    expect((await store.upsertOneIfNewer(rec(key, 5, 'five'))).status).toBe('applied');
    const older = await store.upsertOneIfNewer(rec(key, 3, 'three'));
    expect(older).toMatchObject({ status: 'stale', version: 3, storedVersion: 5 });
    const equal = await store.upsertOneIfNewer(rec(key, 5, 'another five'));
    expect(equal).toMatchObject({ status: 'stale', version: 5, storedVersion: 5 });
    expect((await store.get(key)).item?.record.payload).toBe('five');
    expect((await store.upsertOneIfNewer(rec(key, 6, 'six'))).status).toBe('applied');
    expect((await store.get(key)).item?.record.payload).toBe('six');
  });

  it('keeps only the highest version of a key repeated inside one batch', async () => {
    const p = uniquePrefix('upsert');
    const outcomes = await store.upsertIfNewer([rec(`${p}/x`, 2), rec(`${p}/x`, 9), rec(`${p}/y`, 1), rec(`${p}/x`, 4), rec(`${p}/x`, 9, 'dup')]);
    expect(outcomes.map((o) => o.status)).toEqual(['stale', 'applied', 'applied', 'stale', 'stale']);
    expect(outcomes[0]).toMatchObject({ storedVersion: 9 });
    expect(outcomes[4]).toMatchObject({ version: 9, storedVersion: 9 });
    const stored = await store.get(`${p}/x`);
    expect(stored.item?.record).toEqual(rec(`${p}/x`, 9));
    // One write for the key, not one per duplicate.
    expect(stored.item?.modRevision).toBe(stored.item?.createRevision);
  });

  it('refuses a non-finite version before writing anything', async () => {
    const p = uniquePrefix('upsert');
    await expect(store.upsertIfNewer([rec(`${p}/ok`, 1), rec(`${p}/nan`, Number.NaN)])).rejects.toBeInstanceOf(InvalidStoreArgumentError);
    expect((await store.get(`${p}/ok`)).item).toBeNull();
  });

  it('does not rewrite identical bytes, so no spurious revision appears', async () => {
    const key = `${uniquePrefix('upsert')}/same`;
    const first = await store.upsertOneIfNewer(rec(key, 3, 'p'));
    const again = await store.upsertOneIfNewer(rec(key, 3, 'p'));
    expect(again).toMatchObject({ status: 'stale', storedVersion: 3 });
    expect((await store.get(key)).item?.modRevision).toBe(first.revision);
  });

  it('costs a constant number of Txn round trips for a batch of 500', async () => {
    const p = uniquePrefix('upsert');
    const n = 500;
    const chunks = Math.ceil(n / 128);
    const batch = (version: number) => Array.from({ length: n }, (_, i) => rec(`${p}/${String(i).padStart(4, '0')}`, version));

    const before = store.roundTrips().txn;
    const created = await store.upsertIfNewer(batch(1));
    expect(created.every((o) => o.status === 'applied')).toBe(true);
    // One read Txn and one conditional write Txn per chunk of 128 keys.
    expect(store.roundTrips().txn - before).toBe(2 * chunks);

    const mid = store.roundTrips().txn;
    const updated = await store.upsertIfNewer(batch(2));
    expect(updated.every((o) => o.status === 'applied')).toBe(true);
    expect(store.roundTrips().txn - mid).toBe(2 * chunks);

    const last = store.roundTrips().txn;
    const stale = await store.upsertIfNewer(batch(2));
    expect(stale.every((o) => o.status === 'stale')).toBe(true);
    expect(store.roundTrips().txn - last).toBe(chunks);

    const page = await store.list(p, { limit: 1000 });
    expect(page.items).toHaveLength(n);
    expect(page.items.every((i) => i.record.version === 2)).toBe(true);
  });

  it('splits a batch that would exceed the request size budget', async () => {
    const small = new VersionedRecordStore({ client, codec: testCodec, limits: { maxBytesPerTxn: 8 * 1024 } });
    const p = uniquePrefix('upsert');
    const payload = 'x'.repeat(3000);
    const outcomes = await small.upsertIfNewer(Array.from({ length: 10 }, (_, i) => rec(`${p}/${i}`, 1, payload)));
    expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
    // ~3 KB each in an 8 KiB budget: at most two records per Txn.
    expect(small.roundTrips().txn).toBeGreaterThanOrEqual(10);
    expect(new Set(outcomes.map((o) => o.revision)).size).toBeGreaterThanOrEqual(5);
  });

  it('never leaves an older version when two writers race on the same keys', async () => {
    const p = uniquePrefix('race');
    const keys = Array.from({ length: 40 }, (_, i) => `${p}/${i}`);
    const otherClient = newClient();
    const writers = [store, new VersionedRecordStore({ client: otherClient, codec: testCodec })];
    const maxWritten = new Map<string, number>();
    // Deterministic pseudo-random versions so a failure is reproducible.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const batches = Array.from({ length: 30 }, () =>
      keys.map((key) => {
        const version = next() % 1000;
        maxWritten.set(key, Math.max(maxWritten.get(key) ?? -1, version));
        return rec(key, version, `v${version}`);
      }),
    );
    const txnsBefore = store.roundTrips().txn;
    try {
      const results = await Promise.all(batches.map((batch, i) => (writers[i % 2] as VersionedRecordStore<TestRecord>).upsertIfNewer(batch)));
      // The race really happened: some conditional writes lost and were retried.
      const txns = writers.map((w) => w.roundTrips().txn).reduce((a, b) => a + b) - txnsBefore;
      expect(txns).toBeGreaterThan(2 * batches.length);
      for (const key of keys) expect(await storedVersion(key)).toBe(maxWritten.get(key));
      // Every reported stale saw a version at least as new as its own.
      const stale = results.flat().filter((o): o is Extract<UpsertOutcome, { status: 'stale' }> => o.status === 'stale');
      expect(stale.every((o) => o.storedVersion >= o.version)).toBe(true);
    } finally {
      otherClient.close();
    }
  });
});
