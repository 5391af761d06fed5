import { startEtcd, type EtcdServer } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { Registry } from 'prom-client';
import {
  ETCD_STATUS_METRICS,
  createEtcdClient,
  EtcdNoSpaceError,
  EtcdStatusMonitor,
  loadEtcdConfig,
  registerEtcdStatusMetrics,
  VersionedRecordStore,
} from '../src';
import { rec, testCodec, uniquePrefix, type TestRecord } from './support/test-records';

const QUOTA = 1024 * 1024;

/** The value of one sample in Prometheus text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** What an operator does: compact the history, defragment, disarm every alarm. */
async function freeSpace(client: Etcd3, revision: number): Promise<void> {
  await client.kv.compact({ revision: String(revision), physical: true });
  await client.maintenance.defragment();
  const { alarms } = await client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 });
  for (const a of alarms) await client.maintenance.alarm({ action: 'Deactivate', alarm: a.alarm, memberID: a.memberID });
}

describe('a full etcd (dedicated etcd, 1 MiB quota)', () => {
  let etcd: EtcdServer;
  let client: Etcd3;
  let store: VersionedRecordStore<TestRecord>;
  let monitor: EtcdStatusMonitor;
  const alarmChanges: string[][] = [];
  const registry = new Registry();

  beforeAll(async () => {
    etcd = await startEtcd({ quotaBackendBytes: QUOTA });
    client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
    store = new VersionedRecordStore({ client, codec: testCodec });
    monitor = new EtcdStatusMonitor({ client, intervalMs: 60_000, quotaBytes: QUOTA, onAlarmsChanged: (alarms) => alarmChanges.push([...alarms]) });
    registerEtcdStatusMetrics(registry, monitor, { lastWriteAt: () => store.lastWriteAt() });
  }, 30_000);
  afterAll(async () => {
    monitor.stop();
    await store.close();
    client.close();
    await etcd.stop();
  });

  it('refuses writes with EtcdNoSpaceError, keeps answering reads, reports the alarm, and takes writes again once an operator frees space', async () => {
    await monitor.refresh();
    expect(monitor.problem()).toBeNull();
    let text = await registry.metrics();
    expect(sample(text, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE"}`)).toBe(0);
    expect(sample(text, ETCD_STATUS_METRICS.quotaBytes)).toBe(QUOTA);

    // Every write is a new revision of the same 20 keys: history alone fills the quota.
    const p = uniquePrefix('full');
    const keys = Array.from({ length: 20 }, (_, i) => `${p}/${i}`);
    const payload = 'x'.repeat(1500);
    let refused: unknown;
    let version = 0;
    while (refused === undefined && version < 2000) {
      try {
        await store.upsertIfNewer(keys.map((k) => rec(k, version + 1, payload)));
        version++;
      } catch (error) {
        refused = error;
      }
    }
    expect(refused).toBeInstanceOf(EtcdNoSpaceError);
    expect((refused as Error).message).toContain('NOSPACE');
    const lastWrite = store.lastWriteAt();
    expect(lastWrite).toBeDefined();

    // The refusal is not a failure of the host: reads, status and further writes go on at once
    // (the client's circuit breaker would otherwise refuse every call for 5 s).
    expect((await store.get(keys[0] as string)).item?.record.version).toBe(version);
    monitor.noteWriteError(refused);
    expect((await monitor.refresh()).alarms).toEqual(['NOSPACE']);
    await expect(store.upsertIfNewer([rec(keys[0] as string, version + 1, payload)])).rejects.toBeInstanceOf(EtcdNoSpaceError);
    expect(store.lastWriteAt()).toBe(lastWrite);
    expect(monitor.writesRefused()).toBe(true);
    expect(monitor.problem()).toMatch(/^etcd alarm NOSPACE: the database \([\d.]+ MiB, quota 1\.0 MiB\) is full/);
    text = await registry.metrics();
    expect(sample(text, `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE"}`)).toBe(1);
    expect(sample(text, `${ETCD_STATUS_METRICS.alarm}{alarm="CORRUPT"}`)).toBe(0);
    expect(sample(text, ETCD_STATUS_METRICS.dbSizeBytes)).toBeGreaterThan(QUOTA * 0.9);
    expect(sample(text, ETCD_STATUS_METRICS.dbSizeInUseBytes)).toBeGreaterThan(0);
    expect(sample(text, ETCD_STATUS_METRICS.statusAgeSeconds)).toBeGreaterThanOrEqual(0);
    expect(sample(text, ETCD_STATUS_METRICS.lastWriteAgeSeconds)).toBeGreaterThanOrEqual(0);

    await freeSpace(client, await store.currentRevision());
    await expect(store.upsertIfNewer([rec(keys[0] as string, version + 1, payload)])).resolves.toMatchObject([{ status: 'applied' }]);
    expect(store.lastWriteAt()).toBeGreaterThan(lastWrite as number);
    const after = await monitor.refresh();
    expect(after.alarms).toEqual([]);
    expect(after.dbSizeBytes).toBeLessThan(QUOTA / 2);
    expect(monitor.problem()).toBeNull();
    expect(sample(await registry.metrics(), `${ETCD_STATUS_METRICS.alarm}{alarm="NOSPACE"}`)).toBe(0);
    expect(alarmChanges).toEqual([['NOSPACE'], []]);
  });
});
