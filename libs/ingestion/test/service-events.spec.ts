import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { IngestMetrics, meteredWriter, parseEvents, WriteBatcher, writeRecords } from '../src';

const SERVICE_ARN = 'arn:aws:ecs:us-west-2:111122223333:service/shop/web';

function body(n: number, detailType: string, detail: Record<string, unknown>): string {
  return JSON.stringify({
    version: '0',
    id: `event-${n}`,
    'detail-type': detailType,
    source: 'aws.ecs',
    account: '111122223333',
    time: new Date(Date.UTC(2026, 2, 1, 10, 0, n)).toISOString(),
    region: 'us-west-2',
    resources: [SERVICE_ARN],
    detail,
  });
}

const deployment = (n: number, eventName: string, deploymentId: string) =>
  body(n, 'ECS Deployment State Change', { eventType: 'INFO', eventName, deploymentId, updatedAt: new Date(Date.UTC(2026, 2, 1, 10, 0, n)).toISOString(), reason: `${eventName} ${deploymentId}` });
const action = (n: number) => body(n, 'ECS Service Action', { eventType: 'WARN', eventName: 'SERVICE_TASK_START_IMPAIRED', clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/shop' });

describe('service events are stored (real etcd)', () => {
  let etcd: Etcd3;
  let store: ClusterStateStore;
  beforeEach(() => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: `/test-service-events-${randomUUID().slice(0, 8)}` });
    etcd = createEtcdClient(config);
    store = new ClusterStateStore({ client: etcd, prefix: config.prefix });
  });
  afterEach(() => etcd.close());

  it('merges deployment state changes and service actions into the service, keeping the newest events up to the limit, in any order', async () => {
    const metrics = new IngestMetrics(new Registry());
    const batcher = new WriteBatcher(meteredWriter(store, metrics, { serviceEventsLimit: 3 }), 100, 1);
    const bodies = [deployment(1, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-svc/2'), action(2), deployment(3, 'SERVICE_DEPLOYMENT_FAILED', 'ecs-svc/2'), deployment(4, 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-svc/3'), action(5)];
    // Newest first, then again (SQS redelivers), one message per batch.
    for (const text of [...bodies].reverse().concat(bodies)) {
      const parsed = parseEvents([text], (b) => b, 262_144, metrics);
      expect(parsed.ignored).toEqual([]);
      await writeRecords(batcher, parsed.toWrite, metrics, Date.now);
    }
    const { services } = await store.snapshotServices();
    expect(services).toHaveLength(1);
    const record = services[0]?.record.record;
    expect(record?.deployments.map((d) => [d.id, d.rolloutState])).toEqual([
      ['ecs-svc/3', 'IN_PROGRESS'],
      ['ecs-svc/2', 'FAILED'],
    ]);
    expect(record?.events.map((e) => e.eventId)).toEqual(['event-5', 'event-4', 'event-3']);
    expect((await metrics.applied.get()).values.find((v) => v.labels['kind'] === 'service')?.value).toBeGreaterThan(0);
    // The second delivery of every event changed nothing.
    expect((await metrics.stale.get()).values.find((v) => v.labels['kind'] === 'service')?.value).toBeGreaterThanOrEqual(5);
  });
});
