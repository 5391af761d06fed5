import type { Etcd3, ITxnRequest, ITxnResponse } from 'etcd3';
import { InvalidStoreArgumentError, VersionedRecordStore, WriteContentionError, type RecordCodec, type UpsertOutcome } from '../src';
import { InFlightWrites } from '../src/in-flight-writes';
import { KvCalls } from '../src/kv-calls';
import { RoundTripCounter } from '../src/round-trips';
import { DEFAULT_TXN_LIMITS } from '../src/txn-limits';
import { upsertIfNewer } from '../src/upsert-if-newer';
import { newClient, rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';
import { storeOnSharedEtcd } from './support/test-store';

/** The test codec, recording every key it decodes. */
function countingCodec(): { codec: RecordCodec<TestRecord>; decoded: string[] } {
  const decoded: string[] = [];
  return {
    decoded,
    codec: {
      ...testCodec,
      decode: (key, bytes) => {
        decoded.push(key);
        return testCodec.decode(key, bytes);
      },
    },
  };
}

describe('upsertIfNewer', () => {
  const { client, store } = storeOnSharedEtcd();

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
    const conflicts = () => writers.map((w) => w.roundTrips().conflicts).reduce((a, b) => a + b);
    const conflictsBefore = conflicts();
    try {
      // Whether the writers' Txns interleave is up to the scheduler: on a busy machine one
      // round can run them one after the other, so rounds go on until a write lost a race.
      for (let round = 0; round < 5 && conflicts() === conflictsBefore; round++) {
        const batches = Array.from({ length: 30 }, () =>
          keys.map((key) => {
            const version = next() % 1000 + round * 1000;
            maxWritten.set(key, Math.max(maxWritten.get(key) ?? -1, version));
            return rec(key, version, `v${version}`);
          }),
        );
        const results = await Promise.all(batches.map((batch, i) => (writers[i % 2] as VersionedRecordStore<TestRecord>).upsertIfNewer(batch)));
        for (const key of keys) expect(await storedVersion(key)).toBe(maxWritten.get(key));
        // Every reported stale saw a version at least as new as its own.
        const stale = results.flat().filter((o): o is Extract<UpsertOutcome, { status: 'stale' }> => o.status === 'stale');
        expect(stale.every((o) => o.storedVersion >= o.version)).toBe(true);
      }
      // The race really happened: some conditional writes lost and were retried.
      expect(conflicts()).toBeGreaterThan(conflictsBefore);
    } finally {
      otherClient.close();
    }
  });

  describe('when another writer keeps changing one key of a chunk', () => {
    /**
     * Real etcd, with a second writer that puts `hot` (at a lower version than
     * ours, as a legitimate writer of older events would) just before each of
     * the first `interferences` conditional Txns that compare it: the race a
     * busy key loses against a steady writer, made deterministic.
     */
    class InterferingKv extends KvCalls {
      private interfered = 0;
      private readonly hotBytes: Buffer;

      constructor(
        private readonly etcd: Etcd3,
        private readonly hot: string,
        private readonly interferences: number,
      ) {
        super(etcd, new RoundTripCounter());
        this.hotBytes = Buffer.from(hot);
      }

      override async txn(request: ITxnRequest): Promise<ITxnResponse> {
        const comparesHot = (request.compare ?? []).some((c) => Buffer.from(c.key as Buffer | string).equals(this.hotBytes));
        if (comparesHot && this.interfered < this.interferences) {
          this.interfered += 1;
          await this.etcd.put(this.hot).value(testCodec.encode(rec(this.hot, this.interfered, 'other writer')));
        }
        return super.txn(request);
      }
    }

    const settings = { limits: DEFAULT_TXN_LIMITS, maxAttempts: 8 };

    async function seed(p: string, n: number): Promise<string[]> {
      const keys = Array.from({ length: n }, (_, i) => `${p}/${String(i).padStart(3, '0')}`);
      await store.upsertIfNewer(keys.map((key) => rec(key, 1)));
      return keys;
    }

    it('writes the other keys at once and the hot one when it gets a chance', async () => {
      const keys = await seed(uniquePrefix('hot'), 50);
      const hot = keys[17] as string;
      const kv = new InterferingKv(client, hot, 3);
      const { codec, decoded } = countingCodec();

      const outcomes = await upsertIfNewer(kv, codec, keys.map((key) => rec(key, 100)), settings);

      expect(outcomes.every((o) => o.status === 'applied')).toBe(true);
      for (const key of keys) expect(await storedVersion(key)).toBe(100);
      // The 49 quiet keys were written by the first retry, in one Txn, not held back until the hot key's third loss.
      const quiet = outcomes.filter((o) => o.key !== hot);
      expect(new Set(quiet.map((o) => o.revision)).size).toBe(1);
      expect(outcomes.find((o) => o.key === hot)?.revision).toBeGreaterThan(quiet[0]?.revision ?? Infinity);
      // Read Txn, the lost Txn, then one for the quiet keys and three for the hot one.
      expect(kv.counter.txn).toBe(6);
      expect(kv.counter.conflicts).toBe(3);
      // Every key decoded once from the initial read; after that only the hot key, once per loss.
      expect(decoded.filter((key) => key !== hot)).toHaveLength(49);
      expect(decoded.filter((key) => key === hot)).toHaveLength(4);
    });

    it('gives up on the hot key alone, with the others durable', async () => {
      const keys = await seed(uniquePrefix('hot'), 50);
      const hot = keys[3] as string;
      const kv = new InterferingKv(client, hot, Number.POSITIVE_INFINITY);

      const failure = await upsertIfNewer(kv, testCodec, keys.map((key) => rec(key, 100)), settings).then(
        () => undefined,
        (error: unknown) => error,
      );

      expect(failure).toBeInstanceOf(WriteContentionError);
      expect((failure as WriteContentionError).keys).toEqual([hot]);
      for (const key of keys) expect(await storedVersion(key)).toBe(key === hot ? settings.maxAttempts : 100);
    });
  });

  describe('concurrent upserts of one process', () => {
    /** Real etcd; the first conditional write Txn fails as if etcd had dropped the connection. */
    class FirstWriteFailsKv extends KvCalls {
      private failed = false;

      override async txn(request: ITxnRequest): Promise<ITxnResponse> {
        if (!this.failed && (request.compare ?? []).length > 0) {
          this.failed = true;
          this.counter.txn++;
          throw new Error('connection lost');
        }
        return super.txn(request);
      }
    }

    const keysOf = (p: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${p}/${String(from + i).padStart(3, '0')}`);

    it('write a key the other is writing after it, from the state it left, without a lost compare', async () => {
      const p = uniquePrefix('in-flight');
      const kv = new KvCalls(client, new RoundTripCounter());
      const { codec, decoded } = countingCodec();
      const settings = { limits: DEFAULT_TXN_LIMITS, maxAttempts: 8, inFlight: new InFlightWrites() };
      await store.upsertIfNewer(keysOf(p, 0, 100).map((key) => rec(key, 1)));

      const [first, second] = await Promise.all([
        upsertIfNewer(kv, codec, keysOf(p, 0, 100).map((key) => rec(key, 2)), settings),
        upsertIfNewer(kv, codec, keysOf(p, 50, 150).map((key) => rec(key, 3)), settings),
      ]);

      expect([...(first ?? []), ...(second ?? [])].every((o) => o.status === 'applied')).toBe(true);
      for (const key of keysOf(p, 0, 50)) expect(await storedVersion(key)).toBe(2);
      for (const key of keysOf(p, 50, 150)) expect(await storedVersion(key)).toBe(3);
      // The shared keys went to etcd after the first upsert's write, not racing it.
      const firstRevision = first?.[0]?.revision ?? Infinity;
      expect(second?.slice(0, 50).every((o) => o.revision > firstRevision)).toBe(true);
      // First: read + write. Second: read + write of its own 50 keys, then one write of the shared 50, unread.
      expect(kv.counter.txn).toBe(5);
      expect(kv.counter.conflicts).toBe(0);
      // Only the first upsert's 100 stored records were decoded; keys 100-149 were absent.
      expect(decoded).toHaveLength(100);
    });

    it('read again the keys of an earlier upsert that failed', async () => {
      const p = uniquePrefix('in-flight');
      const kv = new FirstWriteFailsKv(client, new RoundTripCounter());
      const settings = { limits: DEFAULT_TXN_LIMITS, maxAttempts: 8, inFlight: new InFlightWrites() };
      await store.upsertIfNewer(keysOf(p, 0, 20).map((key) => rec(key, 1)));

      const [first, second] = await Promise.allSettled([
        upsertIfNewer(kv, testCodec, keysOf(p, 0, 20).map((key) => rec(key, 5)), settings),
        upsertIfNewer(kv, testCodec, keysOf(p, 10, 20).map((key) => rec(key, 3)), settings),
      ]);

      expect(first.status).toBe('rejected');
      expect(second.status).toBe('fulfilled');
      for (const key of keysOf(p, 0, 10)) expect(await storedVersion(key)).toBe(1);
      for (const key of keysOf(p, 10, 20)) expect(await storedVersion(key)).toBe(3);
      // First: read, failed write. Second: waited, read the 10 keys again, wrote them.
      expect(kv.counter.txn).toBe(4);
    });
  });
});
