import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerInstanceRecord, KeyPrefix, StateRecord, TaskRecord } from '@ecs-state/domain';
import { normalizeContainerInstance, normalizeTask, parseKeyPrefix } from '@ecs-state/domain';
import { stateRecordCodec, VersionedRecordStore } from '@ecs-state/etcd-store';
import { Etcd3 } from 'etcd3';

const EVENTS = join(__dirname, '../../../../../shared/reference/ecs-events');

function sampleDetail(file: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(EVENTS, file), 'utf8')) as { detail: Record<string, unknown> }).detail;
}

/** The Fargate task sample, moved to another cluster / id / status / version. */
export function task(overrides: { id: string; cluster?: string; lastStatus?: string; version?: number; startedBy?: string }): StateRecord {
  const detail = sampleDetail('aws-doc-task-state-change-fargate.json');
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
export function instance(overrides: { id: string; cluster?: string; status?: string; version?: number }): StateRecord {
  const detail = sampleDetail('aws-doc-container-instance-state-change.json');
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

export function uniquePrefix(name: string): KeyPrefix {
  const parsed = parseKeyPrefix(`/test-rest-api/${name}/${randomUUID()}`);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

export function newClient(): Etcd3 {
  const endpoints = process.env['TEST_ETCD_ENDPOINTS'];
  if (!endpoints) throw new Error('TEST_ETCD_ENDPOINTS is not set; run through the jest config');
  return new Etcd3({ hosts: endpoints.split(','), dialTimeout: 3000 });
}

export function writer(client: Etcd3, prefix: KeyPrefix): VersionedRecordStore<StateRecord> {
  return new VersionedRecordStore({ client, codec: stateRecordCodec(prefix) });
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
