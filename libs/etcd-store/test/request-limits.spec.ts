import { startEtcd, type EtcdServer } from '@ecs-state/local-services';
import { Etcd3 } from 'etcd3';
import { VersionedRecordStore } from '../src';
import { newClient, rec, sharedEndpoint, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

/**
 * A large fleet written and read whole, at a scale where every request limit
 * binds: etcd's `--max-request-bytes` and `--max-txn-ops` on writes, gRPC's
 * 4 MiB default receive limit of the client on reads.
 */

const MAX_REQUEST_BYTES = 64 * 1024;
const MAX_TXN_OPS = 32;

/** Long keys (as deep ARN paths are) make the keys, sent three times per write, weigh in the request. */
function longKey(prefix: string, i: number): string {
  return `${prefix}/${'k'.repeat(300)}/${String(i).padStart(6, '0')}`;
}

describe('writes within etcd request limits (dedicated etcd: 64 KiB requests, 32 ops per Txn)', () => {
  let etcd: EtcdServer;
  let client: Etcd3;

  beforeAll(async () => {
    etcd = await startEtcd({ maxRequestBytes: MAX_REQUEST_BYTES, maxTxnOps: MAX_TXN_OPS });
    client = newClient(etcd.endpoint);
  }, 30_000);
  afterAll(async () => {
    client.close();
    await etcd.stop();
  });

  it('a batch far above both limits is cut by op count: every record written, then every newer version', async () => {
    const store = new VersionedRecordStore({ client, codec: testCodec, limits: { maxOpsPerTxn: MAX_TXN_OPS, maxBytesPerTxn: 60 * 1024 } });
    const p = uniquePrefix('limits-ops');
    // 3,000 small records: about 1 MiB in all, 16 times the request limit and 94 times the op limit.
    const records = Array.from({ length: 3000 }, (_, i) => rec(longKey(p, i), 1, 'x'.repeat(40)));
    const first = await store.upsertIfNewer(records);
    expect(first.filter((o) => o.status === 'applied')).toHaveLength(3000);
    const second = await store.upsertIfNewer(records.map((r) => ({ ...r, version: 2 })));
    expect(second.filter((o) => o.status === 'applied')).toHaveLength(3000);
    expect(await store.countUnder(p)).toBe(3000);
  });

  it('a batch of records that fill the request before the op count does is cut by bytes, keys counted as often as the Txn sends them', async () => {
    // Each record: a 330-byte key, sent three times (the compare, the put, the failure branch's range),
    // and a 1.2 KB value; 32 of them are more than 64 KiB, so bytes bind first.
    const store = new VersionedRecordStore({ client, codec: testCodec, limits: { maxOpsPerTxn: MAX_TXN_OPS, maxBytesPerTxn: MAX_REQUEST_BYTES - 4096 } });
    const p = uniquePrefix('limits-bytes');
    const records = Array.from({ length: 2000 }, (_, i) => rec(longKey(p, i), 1, 'v'.repeat(1200)));
    const written = await store.upsertIfNewer(records);
    expect(written.filter((o) => o.status === 'applied')).toHaveLength(2000);
    const rewritten = await store.upsertIfNewer(records.map((r) => ({ ...r, version: 2 })));
    expect(rewritten.filter((o) => o.status === 'applied')).toHaveLength(2000);
    expect(await store.countUnder(p)).toBe(2000);
  });
});

describe('reads within the client receive limit (shared etcd)', () => {
  let client: Etcd3;
  let store: VersionedRecordStore<TestRecord>;
  const p = uniquePrefix('limits-read');
  // 1,500 records of 6 KB: 9 MB in all; a page of 1,000 of them (6 MB) would exceed gRPC's 4 MiB receive limit.
  const count = 1500;
  const payload = (i: number) => `${i}:`.padEnd(6000, 'p');

  beforeAll(async () => {
    client = newClient();
    store = new VersionedRecordStore({ client, codec: testCodec });
    for (let from = 0; from < count; from += 250) {
      const batch = Array.from({ length: Math.min(250, count - from) }, (_, j) => rec(`${p}/${String(from + j).padStart(6, '0')}`, 1, payload(from + j)));
      await store.upsertIfNewer(batch);
    }
  }, 60_000);
  afterAll(() => client.close());

  it('snapshot reads every record, in key order, at one revision', async () => {
    const before = await store.currentRevision();
    const snapshot = await store.snapshot(p);
    expect(snapshot.revision).toBe(before);
    expect(snapshot.items).toHaveLength(count);
    snapshot.items.forEach((item, i) => {
      expect(item.key).toBe(`${p}/${String(i).padStart(6, '0')}`);
      expect(item.record.payload).toBe(payload(i));
    });
  });

  it('a snapshot at an older revision stays at it while pages shrink to fit', async () => {
    const before = await store.currentRevision();
    await store.upsertIfNewer([rec(`${p}/${String(7).padStart(6, '0')}`, 2, 'changed')]);
    const snapshot = await store.snapshot(p, { revision: before });
    expect(snapshot.revision).toBe(before);
    expect(snapshot.items).toHaveLength(count);
    expect(snapshot.items[7]?.record.version).toBe(1);
  });

  it('a list page larger than the receive limit holds every record asked for, and its token goes on at the same revision', async () => {
    const first = await store.list(p, { limit: 1200 });
    expect(first.items).toHaveLength(1200);
    expect(first.continueToken).toBeDefined();
    await store.upsertIfNewer([rec(`${p}/${String(1300).padStart(6, '0')}`, 2, 'changed')]);
    const rest = await store.list(p, { limit: 10_000, continueToken: first.continueToken });
    expect(rest.revision).toBe(first.revision);
    expect(rest.continueToken).toBeUndefined();
    expect(rest.items[100]?.record.version).toBe(1);
    expect([...first.items, ...rest.items].map((i) => i.key)).toEqual(Array.from({ length: count }, (_, i) => `${p}/${String(i).padStart(6, '0')}`));
  });

  it('listRaw reads every stored value', async () => {
    const raw = await store.listRaw(p);
    expect(raw.entries).toHaveLength(count);
    expect(raw.entries[count - 1]?.value.toString()).toContain(payload(count - 1));
  });
});

describe('one batch as large as a whole cluster (shared etcd, 2 s deadline per call)', () => {
  let client: Etcd3;

  beforeAll(() => {
    // As createEtcdClient does with ETCD_REQUEST_TIMEOUT_MS: every unary call has a deadline.
    client = new Etcd3({ hosts: sharedEndpoint(), defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + 2000 }) });
  });
  afterAll(() => client.close());

  it('is written a few chunks at a time, so that no call waits behind the whole batch past its deadline', async () => {
    const store = new VersionedRecordStore({ client, codec: testCodec });
    const p = uniquePrefix('limits-large-batch');
    // 30,000 records of 1.5 KB: 235 chunks. Sent all at once, the last ones waited seconds for etcd.
    const records = Array.from({ length: 30_000 }, (_, i) => rec(`${p}/${String(i).padStart(6, '0')}`, 1, 'r'.repeat(1500)));
    const outcomes = await store.upsertIfNewer(records);
    expect(outcomes.filter((o) => o.status === 'applied')).toHaveLength(30_000);
    expect(store.roundTrips().peakTxnsInFlight).toBe(16);
    expect(store.roundTrips().txn).toBe(2 * Math.ceil(30_000 / 128));
  }, 120_000);
});
