import {
  canonicalJson,
  parseClusterRef,
  type ClusterRef,
  type InstanceState,
  type StateRecord,
  type TaskState,
} from '@ecs-state/domain';
import { eventually } from '@ecs-state/test-support';
import { referenceRecord } from './support/reference-record';
import type { Etcd3 } from 'etcd3';
import { ClusterStateStore, RecordKeyError, type WatchEvent } from '../src';
import { uniqueKeyPrefix } from './support/unique-key-prefix';
import { newClient } from './support/test-records';

const baseTask = referenceRecord('aws-doc-task-state-change-fargate.json') as TaskState;
const baseInstance = referenceRecord('aws-doc-container-instance-state-change.json') as InstanceState;

/** The reference task moved to another cluster / id / version / region. */
function task(options: { cluster?: string; id?: string; version?: number; region?: string } = {}): TaskState {
  const cluster = options.cluster ?? 'FargateCluster';
  const region = options.region ?? 'us-west-2';
  const id = options.id ?? 'c13b4cb40f1f4fe4a2971f76ae5a47ad';
  return {
    kind: 'task',
    record: {
      ...baseTask.record,
      clusterArn: `arn:aws:ecs:${region}:111122223333:cluster/${cluster}`,
      taskArn: `arn:aws:ecs:${region}:111122223333:task/${cluster}/${id}`,
      version: options.version ?? baseTask.record.version,
    },
  };
}

function ref(nameOrArn: string): ClusterRef {
  const parsed = parseClusterRef(nameOrArn);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

describe('ClusterStateStore', () => {
  let client: Etcd3;
  let store: ClusterStateStore;

  beforeAll(() => {
    client = newClient();
  });
  beforeEach(() => {
    store = new ClusterStateStore({ client, prefix: uniqueKeyPrefix('cluster-state') });
  });
  afterEach(() => store.close());
  afterAll(() => client.close());

  it('stores a mixed batch under the domain key layout as canonical JSON', async () => {
    const outcomes = await store.upsert([task(), baseInstance]);
    expect(outcomes.map((o) => o.status)).toEqual(['applied', 'applied']);
    expect(outcomes[0]?.key).toBe(`${store.prefix}/tasks/aws/us-west-2/111122223333/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad`);
    expect(outcomes[1]?.key).toBe(`${store.prefix}/instances/aws/us-east-1/111122223333/default/b54a2a04-046f-4331-9d74-3f6d7f6ca315`);
    expect(await client.get(outcomes[0]?.key as string).string()).toBe(canonicalJson(baseTask.record));

    const gotTask = await store.getTask(baseTask.record);
    expect(gotTask.item?.record).toEqual(task());
    const gotInstance = await store.getInstance(baseInstance.record);
    expect(gotInstance.item?.record).toEqual(baseInstance);
    expect(gotInstance.item?.modRevision).toBe(outcomes[1]?.revision);
  });

  it('keeps the newest ECS version', async () => {
    await store.upsert([task({ version: 7 })]);
    const [older] = await store.upsert([task({ version: 5 })]);
    expect(older).toMatchObject({ status: 'stale', storedVersion: 7 });
    expect((await store.getTask(baseTask.record)).item?.record.record.version).toBe(7);
  });

  it('lists by cluster ARN, by bare cluster name across regions, and everything', async () => {
    await store.upsert([
      task({ cluster: 'alpha', id: 'a1' }),
      task({ cluster: 'alpha', id: 'a2' }),
      task({ cluster: 'alpha', id: 'a3', region: 'eu-west-1' }),
      task({ cluster: 'alphabet', id: 'b1' }),
      baseInstance,
    ]);
    const ids = (page: { items: { record: TaskState }[] }) => page.items.map((i) => i.record.record.taskArn.split('/').pop() ?? '').sort();

    expect(ids(await store.listTasks({ limit: 10, cluster: ref('arn:aws:ecs:us-west-2:111122223333:cluster/alpha') }))).toEqual(['a1', 'a2']);
    expect(ids(await store.listTasks({ limit: 10, cluster: ref('alpha') }))).toEqual(['a1', 'a2', 'a3']);
    expect(ids(await store.listTasks({ limit: 10 }))).toEqual(['a1', 'a2', 'a3', 'b1']);
    const instances = await store.listInstances({ limit: 10, cluster: ref('default') });
    expect(instances.items.map((i) => i.record)).toEqual([baseInstance]);
    expect((await store.listInstances({ limit: 10, cluster: ref('alpha') })).items).toEqual([]);

    // Paging by bare name still covers every match at one revision.
    const seen: string[] = [];
    let page = await store.listTasks({ limit: 1, cluster: ref('alpha') });
    seen.push(...ids(page));
    while (page.continueToken) {
      page = await store.listTasks({ limit: 1, cluster: ref('alpha'), continueToken: page.continueToken });
      seen.push(...ids(page));
    }
    expect(seen.sort()).toEqual(['a1', 'a2', 'a3']);
  });

  it('snapshots everything, then watches from the next revision', async () => {
    await store.upsert([task({ id: 't1' }), baseInstance]);
    const snapshot = await store.snapshotAll();
    expect(snapshot.tasks.map((t) => t.record)).toEqual([task({ id: 't1' })]);
    expect(snapshot.instances.map((i) => i.record)).toEqual([baseInstance]);

    const events: WatchEvent<StateRecord>[] = [];
    const errors: Error[] = [];
    const watch = await store.watchAll({ fromRevision: snapshot.revision + 1, onEvent: (e) => events.push(e), onError: (e) => errors.push(e) });
    await store.upsert([task({ id: 't1', version: 9 })]);
    const [gone] = await store.deleteIfUnchangedSince([{ key: store.keyOf(baseInstance), revision: snapshot.revision }]);
    expect(gone?.status).toBe('deleted');

    await eventually('two events', () => events.length >= 2, { timeoutMs: 10_000 });
    expect(events[0]).toMatchObject({ type: 'put', key: store.keyOf(task({ id: 't1' })), record: task({ id: 't1', version: 9 }) });
    expect(events[1]).toEqual({ type: 'delete', key: store.keyOf(baseInstance), revision: gone?.revision, previous: baseInstance });
    expect(errors).toEqual([]);
    await watch.close();
  });

  it('rejects lookups whose ARNs do not make a key', async () => {
    await expect(store.getTask({ taskArn: 'nonsense', clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/x' })).rejects.toBeInstanceOf(
      RecordKeyError,
    );
  });
});
