import { createEtcdClient, EtcdStatusMonitor, loadEtcdConfig, registerEtcdStatusMetrics } from '@ecs-state/etcd-store';
import { IngestMetrics } from '@ecs-state/ingestion';
import { startEtcd, type EtcdServer } from '@ecs-state/local-services';
import { createMetricsRegistry } from '@ecs-state/service-runtime';
import type { Etcd3 } from 'etcd3';
import { ingestorCloudWatchMetrics } from './cloudwatch-metrics';

describe("the ingestor's CloudWatch metrics", () => {
  it('count the failed SQS calls and etcd writes, and the rejected messages, since the previous line', async () => {
    const registry = createMetricsRegistry('ingestor');
    const metrics = new IngestMetrics(registry);
    const [errors, rejected] = ingestorCloudWatchMetrics(registry);
    expect([errors?.name, rejected?.name]).toEqual(['IngestorErrors', 'IngestorMessagesRejected']);
    metrics.sqsErrors.inc({ operation: 'receive' }, 2);
    metrics.etcdErrors.inc();
    metrics.rejected.inc({ reason: 'not_json' });
    expect(await errors?.read()).toBe(3);
    expect(await rejected?.read()).toBe(1);
    metrics.etcdErrors.inc();
    expect(await errors?.read()).toBe(1);
    expect(await rejected?.read()).toBe(0);
  });

  describe("report etcd's alarms, database size against the quota and status age", () => {
    // An etcd of its own: raising NOSPACE on the shared one would stop every other test's writes.
    const QUOTA = 64 * 1024 * 1024;
    let etcd: EtcdServer;
    let client: Etcd3;

    beforeAll(async () => {
      etcd = await startEtcd({ quotaBackendBytes: QUOTA });
      client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
    }, 30_000);

    afterAll(async () => {
      client?.close();
      await etcd?.stop();
    });

    it('as the Prometheus gauges do, from the first status read on', async () => {
      let now = 1_700_000_000_000;
      const monitor = new EtcdStatusMonitor({ client, intervalMs: 60_000, quotaBytes: QUOTA, now: () => now });
      const registry = createMetricsRegistry('ingestor');
      registerEtcdStatusMetrics(registry, monitor, { now: () => now });
      const readings = ingestorCloudWatchMetrics(registry).filter((metric) => metric.name.startsWith('Etcd'));
      const read = async () => Object.fromEntries(await Promise.all(readings.map(async (metric) => [metric.name, await metric.read()] as const)));
      expect(readings.map((metric) => [metric.name, metric.unit])).toEqual([
        ['EtcdAlarmActive', 'None'],
        ['EtcdDbSizeRatio', 'None'],
        ['EtcdStatusAgeSeconds', 'Seconds'],
      ]);
      expect(await read()).toEqual({ EtcdAlarmActive: undefined, EtcdDbSizeRatio: undefined, EtcdStatusAgeSeconds: undefined });

      const status = await monitor.refresh();
      expect(status.dbSizeBytes).toBeGreaterThan(0);
      now += 12_000;
      expect(await read()).toEqual({ EtcdAlarmActive: 0, EtcdDbSizeRatio: status.dbSizeBytes / QUOTA, EtcdStatusAgeSeconds: 12 });

      const { header } = await client.maintenance.status();
      for (const alarm of ['Nospace', 'Corrupt'] as const) {
        await client.maintenance.alarm({ action: 'Activate', alarm, memberID: header.member_id });
        await monitor.refresh();
        expect((await read())['EtcdAlarmActive']).toBe(1);
        await client.maintenance.alarm({ action: 'Deactivate', alarm, memberID: header.member_id });
        await monitor.refresh();
        expect((await read())['EtcdAlarmActive']).toBe(0);
      }
    });
  });
});
