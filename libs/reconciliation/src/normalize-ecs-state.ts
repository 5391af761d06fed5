import type { ContainerInstance, Task } from '@aws-sdk/client-ecs';
import { normalizeStateRecord, serviceSnapshot, type StateRecord } from '@ecs-state/domain';
import type { EcsClusterState } from './read-cluster';

export interface NormalizedClusterState {
  records: StateRecord[];
  /** One line per object ECS returned that is not a valid record. */
  errors: string[];
}

/**
 * The records events would have produced for the same state. DescribeContainerInstances
 * does not name the cluster, which every stored record carries, so it is added here.
 * Services become snapshots (`serviceSnapshot`) that the store merges into what it holds.
 */
export function normalizeEcsState(clusterArn: string, state: EcsClusterState): NormalizedClusterState {
  const records: StateRecord[] = [];
  const errors: string[] = [];
  for (const instance of state.instances) {
    const result = normalizeStateRecord('instance', { ...instance, clusterArn } satisfies ContainerInstance & { clusterArn: string });
    if (result.ok) records.push(result.value);
    else errors.push(`container instance ${instance.containerInstanceArn ?? '(no ARN)'}: ${result.message}`);
  }
  for (const task of state.tasks satisfies Task[]) {
    const result = normalizeStateRecord('task', task);
    if (result.ok) records.push(result.value);
    else errors.push(`task ${task.taskArn ?? '(no ARN)'}: ${result.message}`);
  }
  for (const { service, describedAt } of state.services) {
    const result = serviceSnapshot(service, describedAt);
    if (result.ok) records.push({ kind: 'service', record: result.value });
    else errors.push(`service ${service.serviceArn ?? '(no ARN)'}: ${result.message}`);
  }
  return { records, errors };
}
