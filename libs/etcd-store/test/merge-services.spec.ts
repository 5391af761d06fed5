import { canonicalJson, mergeServiceRecords, serviceSnapshot, type ServiceRecord, type ServiceState } from '@ecs-state/domain';
import type { Etcd3 } from 'etcd3';
import { ClusterStateStore } from '../src';
import { newClient } from './support/test-records';
import { uniqueKeyPrefix } from './support/unique-key-prefix';

const SERVICE_ARN = 'arn:aws:ecs:us-west-2:111122223333:service/shop/web';
const CLUSTER_ARN = 'arn:aws:ecs:us-west-2:111122223333:cluster/shop';

function snapshot(describedAt: string, runningCount: number): ServiceState {
  const record = serviceSnapshot(
    {
      serviceArn: SERVICE_ARN,
      serviceName: 'web',
      clusterArn: CLUSTER_ARN,
      status: 'ACTIVE',
      desiredCount: 4,
      runningCount,
      pendingCount: 0,
      taskDefinition: 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:1',
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', desiredCount: 4, runningCount, createdAt: '2026-03-01T09:00:00Z', updatedAt: '2026-03-01T10:00:00Z' }],
    },
    describedAt,
  );
  if (!record.ok) throw new Error(record.message);
  return { kind: 'service', record: record.value };
}

function actionEvent(n: number): ServiceState {
  const time = new Date(Date.UTC(2026, 2, 1, 10, 0, n)).toISOString();
  const record: ServiceRecord = {
    serviceArn: SERVICE_ARN,
    serviceName: 'web',
    clusterArn: CLUSTER_ARN,
    deployments: [],
    events: [{ eventId: `event-${String(n).padStart(3, '0')}`, eventName: 'SERVICE_TASK_START_IMPAIRED', eventType: 'WARN', time }],
  };
  return { kind: 'service', record };
}

describe('ClusterStateStore.mergeServices (real etcd)', () => {
  let client: Etcd3;
  beforeAll(() => {
    client = newClient();
  });
  afterAll(() => client.close());

  it('stores a service under its key and reports duplicates and older snapshots as unchanged', async () => {
    const store = new ClusterStateStore({ client, prefix: uniqueKeyPrefix('merge-services') });
    const newer = snapshot('2026-03-01T10:05:00.000Z', 4);
    expect((await store.mergeServices([newer]))[0]).toMatchObject({ status: 'applied', key: `${store.prefix}/services/aws/us-west-2/111122223333/shop/web` });
    expect((await store.mergeServices([newer]))[0]).toMatchObject({ status: 'unchanged' });
    expect((await store.mergeServices([snapshot('2026-03-01T10:01:00.000Z', 1)]))[0]).toMatchObject({ status: 'unchanged' });
    // The same state seen again later needs no write either.
    expect((await store.mergeServices([snapshot('2026-03-01T10:09:00.000Z', 4)]))[0]).toMatchObject({ status: 'unchanged' });
    const { services } = await store.snapshotServices();
    expect(services.map((s) => s.record)).toEqual([newer]);
  });

  it('keeps every concurrent writer’s events: parallel batches from two stores end in the join of all of them', async () => {
    const prefix = uniqueKeyPrefix('merge-services');
    const one = new ClusterStateStore({ client, prefix });
    const otherClient = newClient();
    const other = new ClusterStateStore({ client: otherClient, prefix });
    const reports = [snapshot('2026-03-01T10:00:30.000Z', 2), ...Array.from({ length: 60 }, (_, i) => actionEvent(i))];
    const shuffled = [...reports].sort(() => Math.random() - 0.5);
    // Batches of five, each store writing its half in parallel: the keys are the same, so most writes race.
    const batches: ServiceState[][] = [];
    for (let i = 0; i < shuffled.length; i += 5) batches.push(shuffled.slice(i, i + 5));
    await Promise.all(batches.map((batch, i) => (i % 2 === 0 ? one : other).mergeServices(batch, { eventsLimit: 20 })));
    const expected = reports.reduce((stored, report) => mergeServiceRecords(stored, report.record, 20), reports[0]?.record as ServiceRecord);
    const { services } = await one.snapshotServices();
    expect(services).toHaveLength(1);
    expect(canonicalJson(services[0]?.record.record ?? null)).toBe(canonicalJson(expected));
    expect(expected.events.map((e) => e.eventId)).toEqual(Array.from({ length: 20 }, (_, i) => `event-${String(59 - i).padStart(3, '0')}`));
    expect(one.roundTrips().conflicts + other.roundTrips().conflicts).toBeGreaterThan(0);
    otherClient.close();
  });

  it('refuses to upsert a service, which has no version', async () => {
    const store = new ClusterStateStore({ client, prefix: uniqueKeyPrefix('merge-services') });
    await expect(store.upsert([snapshot('2026-03-01T10:05:00.000Z', 4)])).rejects.toThrow(/has no version; merge it instead/);
  });
});
