import { startEtcd, type EtcdServer, type EtcdOptions } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { VersionedRecordStore, type VersionedRecordStoreOptions } from '../../src';
import { newClient, testCodec, type TestRecord } from './test-records';

type StoreOptions = Omit<VersionedRecordStoreOptions<TestRecord>, 'client' | 'codec'>;

export interface TestStore {
  readonly client: Etcd3;
  readonly store: VersionedRecordStore<TestRecord>;
}

export interface DedicatedTestStore extends TestStore {
  readonly etcd: EtcdServer;
}

/**
 * A store of test records over the shared etcd, closed with its client after the describe block.
 * Neither connects before its first call, so both can be made while the tests are collected.
 */
export function storeOnSharedEtcd(options: StoreOptions = {}): TestStore {
  const client = newClient();
  const store = new VersionedRecordStore({ client, codec: testCodec, ...options });
  afterAll(async () => {
    await store.close();
    client.close();
  });
  return { client, store };
}

/**
 * An etcd of the describe block's own, for tests that stall, compact or fill it, with a store
 * over it; it starts before the block's tests, so the tests take it from the returned function.
 */
export function storeOnDedicatedEtcd(etcdOptions: EtcdOptions = {}): () => DedicatedTestStore {
  let started: DedicatedTestStore | undefined;
  beforeAll(async () => {
    const etcd = await startEtcd(etcdOptions);
    const client = newClient(etcd.endpoint);
    started = { etcd, client, store: new VersionedRecordStore({ client, codec: testCodec }) };
  }, 30_000);
  afterAll(async () => {
    if (!started) return;
    // A test may leave it paused, and a stopped process would not answer the signal that ends it.
    started.etcd.resume();
    await started.store.close();
    started.client.close();
    await started.etcd.stop();
  });
  return () => {
    if (!started) throw new Error('the dedicated etcd starts in beforeAll; take it inside a test');
    return started;
  };
}
