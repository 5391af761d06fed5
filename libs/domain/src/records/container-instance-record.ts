import { resolveContainerInstanceIdentity } from '../arn/resource-identity';
import type { JsonObject, JsonValue } from '../json/json-value';
import { fail, ok } from '../result/result';
import { describeType } from '../text/quote';
import { checkFields, checkVersion } from './field-checks';
import type { FieldTypes } from './field-checks';
import { isPlainObject, toCanonicalTree } from './json-tree';
import type { RecordResult } from './record-reject-reason';
import type { IsoTimestamp } from './task-record';

/**
 * The stored state of an ECS container instance: the ECS `ContainerInstance`
 * structure in canonical form (see README). Unlisted properties are kept as JSON.
 */
export interface ContainerInstanceRecord {
  readonly containerInstanceArn: string;
  readonly clusterArn: string;
  readonly version: number;
  readonly status: string;
  readonly ec2InstanceId?: string;
  readonly statusReason?: string;
  readonly agentConnected?: boolean;
  readonly agentUpdateStatus?: string;
  readonly capacityProviderName?: string;
  readonly runningTasksCount?: number;
  readonly pendingTasksCount?: number;
  readonly registeredAt?: IsoTimestamp;
  readonly [property: string]: JsonValue | undefined;
}

/** ECS's DescribeContainerInstances never returns `updatedAt`; only events carry it. */
export const EVENT_ONLY_INSTANCE_PROPERTIES: readonly string[] = ['updatedAt'];

const INSTANCE_REQUIRED = ['containerInstanceArn', 'clusterArn', 'status'] as const;

const INSTANCE_TYPED: FieldTypes = {
  ec2InstanceId: 'string',
  statusReason: 'string',
  agentConnected: 'boolean',
  agentUpdateStatus: 'string',
  capacityProviderName: 'string',
  runningTasksCount: 'integer',
  pendingTasksCount: 'integer',
  attributes: 'object-array',
  registeredResources: 'object-array',
  remainingResources: 'object-array',
  attachments: 'object-array',
  versionInfo: 'object',
};

/**
 * Turns an event's `detail`, an SDK `ContainerInstance` or a stored record
 * back into a canonical `ContainerInstanceRecord`. Never throws.
 */
export function normalizeContainerInstance(input: unknown): RecordResult<ContainerInstanceRecord> {
  if (!isPlainObject(input)) {
    return fail('not_an_object', `container instance must be an object, got ${describeType(input)}`);
  }
  const tree = toCanonicalTree(input, EVENT_ONLY_INSTANCE_PROPERTIES);
  return tree.ok ? checkContainerInstance(tree.value) : tree;
}

/** The checks of normalizeContainerInstance on a tree already in canonical form (see isCanonicalTree). */
export function checkContainerInstance(record: JsonObject): RecordResult<ContainerInstanceRecord> {
  const invalid = checkVersion(record) ?? checkFields(record, '', INSTANCE_REQUIRED, INSTANCE_TYPED);
  if (invalid) return invalid;
  const instance = record as unknown as ContainerInstanceRecord;
  const identity = resolveContainerInstanceIdentity(instance.containerInstanceArn, instance.clusterArn);
  if (!identity.ok) return identity;
  return ok(instance);
}
