import { DEFAULT_KEY_PREFIX } from '@ecs-state/domain';
import type { Etcd3 } from 'etcd3';
import { createEtcdClient, VersionedRecordStore } from '../src';
import { newClient, rec, sharedEndpoint, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

const MiB = 1024 * 1024;
// 3,000 records of 6 KB: 18 MB, more than one page whatever the client.
const RECORDS = 3000;
const PAYLOAD = 'x'.repeat(6 * 1024);

const connect = (maxReceiveBytes?: number): Etcd3 =>
  createEtcdClient({ endpoints: sharedEndpoint().split(','), prefix: DEFAULT_KEY_PREFIX, dialTimeoutMs: 3000, requestTimeoutMs: 10_000, ...(maxReceiveBytes === undefined ? {} : { maxReceiveBytes }) });

describe('snapshot page size and the client receive limit (default etcd)', () => {
  let prefix: string;
  let plain: Etcd3;
  let configured: Etcd3;

  beforeAll(async () => {
    plain = newClient();
    configured = connect();
    prefix = uniquePrefix('page-size');
    const writer = new VersionedRecordStore({ client: plain, codec: testCodec });
    const keys = Array.from({ length: RECORDS }, (_, i) => `${prefix}/${String(i).padStart(5, '0')}`);
    for (let i = 0; i < keys.length; i += 500) await writer.upsertIfNewer(keys.slice(i, i + 500).map((key) => rec(key, 1, PAYLOAD)));
  }, 60_000);
  afterAll(() => {
    plain.close();
    configured.close();
  });

  async function pageBytes(client: Etcd3): Promise<{ largest: number; keys: string[]; ranges: number }> {
    const store = new VersionedRecordStore<TestRecord>({ client, codec: testCodec });
    let largest = 0;
    const keys: string[] = [];
    for await (const page of store.snapshotPages(prefix)) {
      largest = Math.max(largest, page.items.reduce((sum, item) => sum + item.key.length + (item.record.payload?.length ?? 0), 0));
      keys.push(...page.items.map((item) => item.key));
    }
    return { largest, keys, ranges: store.roundTrips().range };
  }

  it('reads pages larger than gRPC’s 4 MiB default through a client of createEtcdClient', async () => {
    const { largest, keys, ranges } = await pageBytes(configured);
    expect(largest).toBeGreaterThan(4 * MiB);
    expect(largest).toBeLessThanOrEqual(16 * MiB);
    expect(keys).toHaveLength(RECORDS);
    expect(ranges).toBeLessThan(6);
  }, 60_000);

  it('keeps pages within the 4 MiB default for a client it did not create', async () => {
    const { largest, keys } = await pageBytes(plain);
    expect(largest).toBeLessThanOrEqual(2.5 * MiB);
    expect(keys).toHaveLength(RECORDS);
  }, 60_000);

  it('a client created with the 4 MiB minimum gets pages it accepts', async () => {
    const small = connect(4 * MiB);
    try {
      const { largest, keys } = await pageBytes(small);
      expect(largest).toBeLessThanOrEqual(2.5 * MiB);
      expect(keys).toHaveLength(RECORDS);
    } finally {
      small.close();
    }
  }, 60_000);
});
