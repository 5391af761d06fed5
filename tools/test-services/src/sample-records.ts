import type { ContainerInstanceRecord, StateRecord, TaskRecord } from '@ecs-state/domain';
import { normalizeContainerInstance, normalizeTask } from '@ecs-state/domain';
import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';

/** The Fargate task sample, moved to another cluster / id / status / version. */
export function sampleTask(overrides: { id: string; cluster?: string; lastStatus?: string; version?: number; startedBy?: string }): StateRecord {
  const detail = loadReferenceEvent(FARGATE_TASK_SAMPLE).envelope.detail;
  const cluster = overrides.cluster ?? 'FargateCluster';
  const result = normalizeTask({
    ...detail,
    clusterArn: `arn:aws:ecs:us-west-2:111122223333:cluster/${cluster}`,
    taskArn: `arn:aws:ecs:us-west-2:111122223333:task/${cluster}/${overrides.id}`,
    containers: [],
    lastStatus: overrides.lastStatus ?? 'RUNNING',
    version: overrides.version ?? 1,
    ...(overrides.startedBy === undefined ? {} : { startedBy: overrides.startedBy }),
  });
  if (!result.ok) throw new Error(result.message);
  return { kind: 'task', record: result.value as TaskRecord };
}

/** The container instance sample (old ARN format), moved to another id / cluster. */
export function sampleInstance(overrides: { id: string; cluster?: string; status?: string; version?: number }): StateRecord {
  const detail = loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE).envelope.detail;
  const result = normalizeContainerInstance({
    ...detail,
    clusterArn: `arn:aws:ecs:us-east-1:111122223333:cluster/${overrides.cluster ?? 'default'}`,
    containerInstanceArn: `arn:aws:ecs:us-east-1:111122223333:container-instance/${overrides.id}`,
    status: overrides.status ?? 'ACTIVE',
    version: overrides.version ?? 1,
  });
  if (!result.ok) throw new Error(result.message);
  return { kind: 'instance', record: result.value as ContainerInstanceRecord };
}
