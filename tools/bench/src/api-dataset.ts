import { normalizeContainerInstance, normalizeTask, type StateRecord, type TaskRecord } from '@ecs-state/domain';
import { createEcsService, createWorkload } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';

export interface ApiDatasetOptions {
  readonly clusters: number;
  readonly tasksPerCluster: number;
  /** Every n-th task is turned STOPPED, so that a status filter selects a share of a cluster. */
  readonly stoppedEvery: number;
  readonly seed: number;
  /** Container instances per cluster; 10 when omitted. */
  readonly instancesPerCluster?: number;
}

export interface ApiDataset {
  readonly tasks: readonly TaskRecord[];
  readonly records: readonly StateRecord[];
  readonly clusterArns: readonly string[];
  readonly instances: number;
}

/**
 * The simulated ECS's bulk population (RUNNING tasks on EC2 and Fargate, both
 * ARN formats), normalized as the ingestor stores it. Every n-th task is then
 * given one more version as STOPPED.
 */
export function buildApiDataset(options: ApiDatasetOptions): ApiDataset {
  const ecs = createEcsService({ seed: options.seed, transitionDelayMs: 0 });
  const workload = createWorkload(ecs, {
    seed: options.seed,
    clusters: options.clusters,
    instancesPerCluster: options.instancesPerCluster ?? 10,
    tasksPerCluster: options.tasksPerCluster,
  });
  workload.setup();
  const truth = ecs.groundTruth();
  ecs.close();
  const withoutTags = <T extends { tags?: unknown }>({ tags: _tags, ...rest }: T) => rest;
  const tasks: TaskRecord[] = truth.tasks.map((task, i) => {
    const normalized = normalizeTask(withoutTags(task));
    if (!normalized.ok) throw new Error(`simulated task does not normalize: ${normalized.message}`);
    const record = normalized.value;
    if (i % options.stoppedEvery !== 0) return record;
    return { ...record, version: record.version + 1, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' };
  });
  const records: StateRecord[] = tasks.map((record) => ({ kind: 'task', record }));
  for (const instance of truth.containerInstances) {
    const normalized = normalizeContainerInstance(withoutTags(instance));
    if (!normalized.ok) throw new Error(`simulated instance does not normalize: ${normalized.message}`);
    records.push({ kind: 'instance', record: normalized.value });
  }
  return { tasks, records, clusterArns: truth.clusters.map((c) => c.clusterArn as string), instances: truth.containerInstances.length };
}

/** Writes the records with the store's batched newer-wins upsert, a few batches at a time. */
export async function storeApiDataset(store: ClusterStateStore, records: readonly StateRecord[], batchSize = 1_000, parallel = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const batch = records.slice(next, next + batchSize);
      next += batchSize;
      const outcomes = await store.upsert(batch);
      const failed = outcomes.filter((o) => o.status !== 'applied');
      if (failed.length > 0) throw new Error(`${failed.length} records were not applied`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
