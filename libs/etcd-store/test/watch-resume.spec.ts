import { eventually } from '@ecs-state/test-support';
import { startEtcd, TcpProxy, type EtcdServer } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { VersionedRecordStore } from '../src';
import { EventLog } from './support/event-log';
import { newClient, rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

describe('watch across an etcd restart and a lost connection (dedicated etcd)', () => {
  let etcd: EtcdServer;
  const clients: Etcd3[] = [];

  beforeAll(async () => {
    etcd = await startEtcd();
  }, 30_000);
  afterAll(async () => {
    for (const c of clients) c.close();
    await etcd.stop();
  });

  function storeOn(endpoint = etcd.endpoint): VersionedRecordStore<TestRecord> {
    const client = newClient(endpoint);
    clients.push(client);
    return new VersionedRecordStore({ client, codec: testCodec });
  }

  it('resumes after a crash from the last delivered revision, without gap or duplicate', async () => {
    const p = uniquePrefix('resume');
    const watcherStore = storeOn();
    const log = new EventLog();
    const watch = await watcherStore.watch(p, log.options());

    const writer = storeOn();
    for (let i = 1; i <= 5; i++) await writer.upsertOneIfNewer(rec(`${p}/k${i % 2}`, i));
    await eventually('events before the crash', () => log.events.length === 5, { timeoutMs: 10_000 });

    await etcd.kill();
    await eventually('the watch to notice', () => log.disconnects > 0, { timeoutMs: 10_000 });
    await etcd.start();

    // A client created after the restart writes while the watch is still reconnecting.
    const lateWriter = storeOn();
    for (let i = 6; i <= 12; i++) await lateWriter.upsertOneIfNewer(rec(`${p}/k${i % 2}`, i));
    const gone = await lateWriter.get(`${p}/k0`);
    await lateWriter.deleteIfUnchangedSince(`${p}/k0`, gone.revision);

    await eventually('every event after the restart', () => log.events.length >= 13, { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(log.events).toHaveLength(13);
    expect(log.puts()).toEqual(Array.from({ length: 12 }, (_, i) => `${p}/k${(i + 1) % 2}@${i + 1}`));
    expect(log.events[12]).toMatchObject({ type: 'delete', key: `${p}/k0` });
    const revisions = log.revisions();
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(log.errors).toEqual([]);
    await watch.close();
  }, 30_000);

  it('replays what was written while it was cut off, across an etcd restart, without gap or duplicate', async () => {
    const p = uniquePrefix('resume-offline');
    const proxy = new TcpProxy(etcd.port);
    await proxy.open();
    const log = new EventLog();
    const watch = await storeOn(proxy.endpoint).watch(p, log.options());
    const writer = storeOn();
    for (let i = 1; i <= 3; i++) await writer.upsertOneIfNewer(rec(`${p}/k`, i));
    await eventually('events before the cut', () => log.events.length === 3, { timeoutMs: 10_000 });

    await proxy.cut();
    await eventually('the watch to notice', () => log.disconnects > 0, { timeoutMs: 10_000 });
    // While the watch cannot reach etcd: a restart, more writes, a delete.
    await etcd.kill();
    await etcd.start();
    const offlineWriter = storeOn();
    for (let i = 4; i <= 9; i++) await offlineWriter.upsertOneIfNewer(rec(`${p}/k`, i));
    await offlineWriter.upsertOneIfNewer(rec(`${p}/other`, 1));
    const gone = await offlineWriter.get(`${p}/other`);
    await offlineWriter.deleteIfUnchangedSince(`${p}/other`, gone.revision);
    expect(log.events).toHaveLength(3);

    await proxy.open();
    await eventually('the replay', () => log.events.length >= 11, { timeoutMs: 20_000 });
    await offlineWriter.upsertOneIfNewer(rec(`${p}/k`, 10));
    await eventually('the live event after the replay', () => log.events.length >= 12, { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(log.puts()).toEqual([...Array.from({ length: 9 }, (_, i) => `${p}/k@${i + 1}`), `${p}/other@1`, `${p}/k@10`]);
    expect(log.events[10]).toMatchObject({ type: 'delete', key: `${p}/other`, previous: rec(`${p}/other`, 1) });
    const revisions = log.revisions();
    expect(new Set(revisions).size).toBe(revisions.length);
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
    expect(log.errors).toEqual([]);
    await watch.close();
    await proxy.cut();
  }, 30_000);
});
