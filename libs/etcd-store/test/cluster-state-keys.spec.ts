import type { InstanceState, ServiceState, TaskState } from '@ecs-state/domain';
import { referenceRecord } from './support/reference-record';
import type { Etcd3 } from 'etcd3';
import { ClusterStateStore, InvalidStoreArgumentError } from '../src';
import { uniqueKeyPrefix } from './support/unique-key-prefix';
import { newClient } from './support/test-records';

const ACCOUNT = '111122223333';

const baseTask = referenceRecord('aws-doc-task-state-change-fargate.json') as TaskState;
const baseInstance = referenceRecord('aws-doc-container-instance-state-change.json') as InstanceState;

const clusterArn = (name: string) => `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/${name}`;

function task(cluster: string, id: string): TaskState {
  return {
    kind: 'task',
    record: { ...baseTask.record, clusterArn: clusterArn(cluster), taskArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:task/${cluster}/${id}` },
  };
}

/** Old-format instance ARN (no cluster name in it), as ECS still returns for older accounts. */
function instance(cluster: string, id: string): InstanceState {
  return {
    kind: 'instance',
    record: {
      ...baseInstance.record,
      clusterArn: clusterArn(cluster),
      containerInstanceArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:container-instance/${id}`,
    },
  };
}

/** A service known only from one of its events: all a cluster may hold. */
function service(cluster: string, name: string): ServiceState {
  return {
    kind: 'service',
    record: {
      serviceArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:service/${cluster}/${name}`,
      serviceName: name,
      clusterArn: clusterArn(cluster),
      deployments: [],
      events: [{ eventId: `${cluster}-${name}`, eventName: 'SERVICE_STEADY_STATE', eventType: 'INFO', time: '2026-03-01T10:00:00.000Z' }],
    },
  };
}

const taskId = (i: number) => `${String(i).padStart(4, '0')}aaaabbbbccccddddeeeeffff0000`.slice(0, 32);

describe('ClusterStateStore keys for reconciliation', () => {
  let client: Etcd3;
  let store: ClusterStateStore;

  beforeAll(() => {
    client = newClient();
  });
  beforeEach(() => {
    store = new ClusterStateStore({ client, prefix: uniqueKeyPrefix('cluster-keys') });
  });
  afterEach(() => store.close());
  afterAll(() => client.close());

  it('lists one cluster’s task keys, instance ARNs and service keys, not those of a cluster whose name extends it', async () => {
    const tasks = Array.from({ length: 25 }, (_, i) => task('web', taskId(i)));
    await store.upsert([...tasks, instance('web', 'i-1'), instance('web', 'i-2'), task('webapp', taskId(0)), instance('webapp', 'i-3')]);
    await store.mergeServices([service('web', 'frontend'), service('web', 'backend'), service('webapp', 'frontend')]);

    const stored = await store.clusterKeys(clusterArn('web'));

    expect(stored.taskKeys).toEqual(tasks.map((t) => store.keyOf(t)).sort());
    expect([...stored.instances.entries()].sort()).toEqual([
      [store.keyOf(instance('web', 'i-1')), instance('web', 'i-1').record.containerInstanceArn],
      [store.keyOf(instance('web', 'i-2')), instance('web', 'i-2').record.containerInstanceArn],
    ]);
    expect(stored.serviceKeys).toEqual([store.keyOf(service('web', 'backend')), store.keyOf(service('web', 'frontend'))].sort());
    expect(stored.revision).toBe(await store.currentRevision());
  });

  it('counts an unreadable instance record as stored, without an ARN', async () => {
    const key = store.keyOf(instance('web', 'i-9'));
    await client.put(key).value('{"truncated');

    const stored = await store.clusterKeys(clusterArn('web'));

    expect([...stored.instances.entries()]).toEqual([[key, undefined]]);
  });

  it('reads every listing at the given revision', async () => {
    await store.upsert([task('web', taskId(1)), instance('web', 'i-1')]);
    await store.mergeServices([service('web', 'frontend')]);
    const revision = await store.currentRevision();
    await store.upsert([task('web', taskId(2)), instance('web', 'i-2')]);
    await store.mergeServices([service('web', 'backend')]);

    const stored = await store.clusterKeys(clusterArn('web'), { revision });

    expect(stored.taskKeys).toEqual([store.keyOf(task('web', taskId(1)))]);
    expect([...stored.instances.keys()]).toEqual([store.keyOf(instance('web', 'i-1'))]);
    expect(stored.serviceKeys).toEqual([store.keyOf(service('web', 'frontend'))]);
    expect(stored.revision).toBe(revision);
  });

  it('rejects something that is not a cluster ARN', async () => {
    await expect(store.clusterKeys('web')).rejects.toBeInstanceOf(InvalidStoreArgumentError);
  });

  it('finds every cluster with a stored task, instance or service in a few round trips per cluster', async () => {
    const many = Array.from({ length: 300 }, (_, i) => task('big', taskId(i)));
    await store.upsert([...many, task('alpha', taskId(1)), instance('alpha', 'i-1'), instance('only-instances', 'i-2')]);
    await store.mergeServices([service('alpha', 'web'), service('only-services', 'web'), service('only-services', 'api')]);
    const before = store.roundTrips().range;

    const arns = await store.storedClusterArns();

    expect(arns).toEqual([clusterArn('alpha'), clusterArn('big'), clusterArn('only-instances'), clusterArn('only-services')]);
    // currentRevision + (2 task clusters + end) + (2 instance clusters + end) + (2 service clusters + end), whatever 'big' holds.
    expect(store.roundTrips().range - before).toBe(10);
  });

  it('lists and probes one partition/region/account without seeing the others', async () => {
    const elsewhere = (account: string, region: string, cluster: string): TaskState => ({
      kind: 'task',
      record: {
        ...baseTask.record,
        clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
        taskArn: `arn:aws:ecs:${region}:${account}:task/${cluster}/${taskId(1)}`,
      },
    });
    const scope = { partition: 'aws', region: 'us-west-2', account: ACCOUNT } as const;
    expect(await store.isEmpty({ scope })).toBe(true);
    await store.upsert([elsewhere('999988887777', 'us-west-2', 'web'), elsewhere(ACCOUNT, 'eu-west-1', 'web')]);
    expect(await store.isEmpty({ scope })).toBe(true);
    expect(await store.storedClusterArns({ scope })).toEqual([]);

    await store.mergeServices([service('only-services', 'web')]);
    expect(await store.isEmpty({ scope })).toBe(false);
    expect(await store.storedClusterArns({ scope })).toEqual([clusterArn('only-services')]);

    await store.upsert([task('web', taskId(1)), instance('only-instances', 'i-1')]);

    expect(await store.isEmpty({ scope })).toBe(false);
    expect(await store.storedClusterArns({ scope })).toEqual([clusterArn('only-instances'), clusterArn('only-services'), clusterArn('web')]);
    expect(await store.storedClusterArns()).toHaveLength(5);
    await expect(store.storedClusterArns({ scope: { ...scope, account: '../x' } })).rejects.toBeInstanceOf(InvalidStoreArgumentError);
  });

  it('is empty until a record is stored, whatever else etcd holds', async () => {
    await client.put(`${store.prefix}-elsewhere/x`).value('x');
    expect(await store.isEmpty()).toBe(true);
    expect(await store.storedClusterArns()).toEqual([]);

    await store.mergeServices([service('web', 'api')]);
    expect(await store.isEmpty()).toBe(false);
  });
});
