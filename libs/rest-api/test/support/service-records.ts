import type { StateRecord, TaskRecord } from '@ecs-state/domain';
import { canonicalJson, keyForRecord, normalizeService, normalizeTask } from '@ecs-state/domain';
import { eventually } from '@ecs-state/test-support';
import type { Harness } from './api-harness';
import { task } from './records';

const ACCOUNT = '111122223333';
const REGION = 'us-west-2';

export const serviceClusterArn = (cluster: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${cluster}`;
export const serviceArn = (cluster: string, name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:service/${cluster}/${name}`;

export interface SampleDeployment {
  readonly id: string;
  readonly status: 'PRIMARY' | 'ACTIVE';
  readonly rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  readonly taskDefinition?: string;
}

/** A service as DescribeServices reports it, with its deployments and last events. */
export function sampleService(overrides: {
  name: string;
  cluster: string;
  status?: string;
  launchType?: string;
  deployments?: readonly SampleDeployment[];
  events?: readonly { eventId: string; eventName: string; eventType: string; reason?: string; time: string }[];
  describedAt?: string;
}): StateRecord {
  const taskDefinition = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${overrides.name}:1`;
  const deployments = overrides.deployments ?? [{ id: `ecs-svc/${overrides.name}-1`, status: 'PRIMARY', rolloutState: 'COMPLETED' }];
  const result = normalizeService({
    serviceArn: serviceArn(overrides.cluster, overrides.name),
    serviceName: overrides.name,
    clusterArn: serviceClusterArn(overrides.cluster),
    status: overrides.status ?? 'ACTIVE',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    ...(overrides.launchType === undefined
      ? { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1, base: 0 }] }
      : { launchType: overrides.launchType }),
    taskDefinition,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
    createdAt: '2024-05-01T10:00:00.000Z',
    deployments: deployments.map((deployment) => ({
      taskDefinition,
      desiredCount: 2,
      runningCount: deployment.status === 'PRIMARY' ? 2 : 0,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: '2024-05-01T10:00:00.000Z',
      updatedAt: '2024-05-01T10:05:00.000Z',
      ...deployment,
    })),
    events: overrides.events ?? [],
    describedAt: overrides.describedAt ?? '2024-05-01T10:06:00.000Z',
  });
  if (!result.ok) throw new Error(result.message);
  return { kind: 'service', record: result.value };
}

/** A task ECS started for a service: in the group `service:<name>`. */
export function serviceTask(overrides: { id: string; cluster: string; service: string }): StateRecord {
  const base = task({ id: overrides.id, cluster: overrides.cluster });
  const result = normalizeTask({ ...base.record, group: `service:${overrides.service}`, startedBy: `ecs-svc/${overrides.service}-1` });
  if (!result.ok) throw new Error(result.message);
  return { kind: 'task', record: result.value as TaskRecord };
}

/**
 * Writes records as they are stored, one put each, and waits until the view has
 * applied them; returns the last revision. Written directly rather than through
 * the store's ordering rule: these tests are about reading what is stored.
 */
export async function putStored(h: Harness, ...records: StateRecord[]): Promise<number> {
  let revision = 0;
  for (const record of records) {
    const key = keyForRecord(h.prefix, record);
    if (!key.ok) throw new Error(key.message);
    revision = Number((await h.client.put(key.value).value(canonicalJson(record.record)).exec()).header.revision);
  }
  await eventually('the view has applied the writes', () => h.view.revision >= revision, { timeoutMs: 20_000 });
  return revision;
}
