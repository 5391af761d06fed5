import type { Etcd3 } from 'etcd3';
import { allInstancesPrefix, allTasksPrefix, clusterInstancesPrefix, clusterTasksPrefix, parseKey, type KeyPrefix } from '@ecs-state/domain';

/** Keys only: a cluster's stored records are compared with ECS by identity, values are not needed. */
async function keysUnder(etcd: Etcd3, prefix: string): Promise<string[]> {
  return etcd.getAll().prefix(prefix).keys();
}

export interface StoredClusterKeys {
  taskKeys: string[];
  /** Container instances are few; their ARN is read so that unlisted ones can be described. */
  instances: Map<string, string | undefined>;
}

function instanceArnOf(value: string): string | undefined {
  try {
    const parsed = JSON.parse(value) as { containerInstanceArn?: unknown };
    return typeof parsed.containerInstanceArn === 'string' ? parsed.containerInstanceArn : undefined;
  } catch {
    return undefined;
  }
}

/** Every stored key of one cluster, tasks and container instances. */
export async function storedClusterKeys(etcd: Etcd3, prefix: KeyPrefix, clusterArn: string): Promise<StoredClusterKeys> {
  const tasks = clusterTasksPrefix(prefix, clusterArn);
  const instances = clusterInstancesPrefix(prefix, clusterArn);
  if (!tasks.ok) throw new Error(tasks.message);
  if (!instances.ok) throw new Error(instances.message);
  const [taskKeys, instanceValues] = await Promise.all([keysUnder(etcd, tasks.value), etcd.getAll().prefix(instances.value).strings()]);
  return { taskKeys, instances: new Map(Object.entries(instanceValues).map(([key, value]) => [key, instanceArnOf(value)])) };
}

/** ARNs of the clusters that have at least one stored record. */
export async function storedClusterArns(etcd: Etcd3, prefix: KeyPrefix): Promise<string[]> {
  const clusters = new Set<string>();
  for (const root of [allTasksPrefix(prefix), allInstancesPrefix(prefix)]) {
    for (const key of await keysUnder(etcd, root)) {
      const parsed = parseKey(prefix, key);
      if (parsed !== null) clusters.add(parsed.clusterArn);
    }
  }
  return [...clusters].sort();
}

/** True when nothing at all is stored under the prefix. */
export async function storeIsEmpty(etcd: Etcd3, prefix: KeyPrefix): Promise<boolean> {
  const count = await etcd.getAll().prefix(`${prefix}/`).count();
  return count === 0;
}
