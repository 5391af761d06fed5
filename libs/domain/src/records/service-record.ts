import { resolveServiceIdentity } from '../arn/resource-identity';
import type { JsonObject, JsonValue } from '../json/json-value';
import { fail, ok } from '../result/result';
import { describeType, quote } from '../text/quote';
import { checkEach, checkFields } from './field-checks';
import type { FieldTypes } from './field-checks';
import { isPlainObject, toCanonicalTree } from './json-tree';
import type { RecordFailure, RecordResult } from './record-reject-reason';
import type { IsoTimestamp } from './task-record';
import { isCanonicalIso } from './timestamps';

/**
 * One deployment of a service, the ECS `Deployment` structure. An entry that
 * comes from a DescribeServices snapshot has every ECS property; one known only
 * from an `ECS Deployment State Change` event (a deployment that started after
 * the last snapshot) has `id`, `rolloutState`, `rolloutStateReason` and
 * `updatedAt` alone, and no `status`.
 */
export interface ServiceDeployment {
  readonly id: string;
  /** PRIMARY, ACTIVE or INACTIVE; absent when known only from events. */
  readonly status?: string;
  /** IN_PROGRESS, COMPLETED or FAILED. */
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinition?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly pendingCount?: number;
  readonly failedTasks?: number;
  readonly launchType?: string;
  readonly createdAt?: IsoTimestamp;
  readonly updatedAt: IsoTimestamp;
  readonly [property: string]: JsonValue | undefined;
}

/**
 * One event of the service as EventBridge delivered it: an `ECS Service Action`
 * or an `ECS Deployment State Change` (which has `deploymentId`). `time` is the
 * envelope's; `eventId` its `id`.
 */
export interface ServiceEventEntry {
  readonly eventId: string;
  readonly eventName: string;
  /** INFO, WARN or ERROR. */
  readonly eventType: string;
  readonly reason?: string;
  readonly deploymentId?: string;
  readonly capacityProviderArns?: readonly string[];
  readonly containerInstanceArns?: readonly string[];
  readonly time: IsoTimestamp;
  readonly [property: string]: JsonValue | undefined;
}

/**
 * The stored state of an ECS service: the ECS `Service` structure as
 * DescribeServices returns it (README "Services"), except that its `events`
 * (ECS's own messages) are replaced by the last service events EventBridge
 * delivered, newest first. `describedAt` is when the DescribeServices snapshot
 * the service-level properties come from was taken; a service known only from
 * its events has no `describedAt` and only its identity, `deployments` and
 * `events`.
 */
export interface ServiceRecord {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  readonly status?: string;
  readonly desiredCount?: number;
  readonly runningCount?: number;
  readonly pendingCount?: number;
  readonly launchType?: string;
  readonly capacityProviderStrategy?: readonly JsonObject[];
  readonly taskDefinition?: string;
  readonly deploymentConfiguration?: JsonObject;
  readonly loadBalancers?: readonly JsonObject[];
  readonly placementConstraints?: readonly JsonObject[];
  readonly placementStrategy?: readonly JsonObject[];
  readonly createdAt?: IsoTimestamp;
  readonly deployments: readonly ServiceDeployment[];
  readonly events: readonly ServiceEventEntry[];
  readonly describedAt?: IsoTimestamp;
  readonly [property: string]: JsonValue | undefined;
}

/** The properties a service's events and the ordering rule own; a snapshot never sets them. */
export const SERVICE_MERGED_PROPERTIES: readonly string[] = ['deployments', 'events', 'describedAt'];

const SERVICE_REQUIRED = ['serviceArn', 'serviceName', 'clusterArn'] as const;

const SERVICE_TYPED: FieldTypes = {
  status: 'string',
  desiredCount: 'integer',
  runningCount: 'integer',
  pendingCount: 'integer',
  launchType: 'string',
  capacityProviderStrategy: 'object-array',
  taskDefinition: 'string',
  deploymentConfiguration: 'object',
  loadBalancers: 'object-array',
  placementConstraints: 'object-array',
  placementStrategy: 'object-array',
  deployments: 'object-array',
  events: 'object-array',
  describedAt: 'string',
};

const DEPLOYMENT_TYPED: FieldTypes = {
  status: 'string',
  rolloutState: 'string',
  rolloutStateReason: 'string',
  taskDefinition: 'string',
  desiredCount: 'integer',
  runningCount: 'integer',
  pendingCount: 'integer',
  failedTasks: 'integer',
  launchType: 'string',
};

const EVENT_TYPED: FieldTypes = {
  reason: 'string',
  deploymentId: 'string',
};

function checkRequiredEach(record: JsonObject, field: string, required: readonly string[]): RecordFailure | undefined {
  const items = record[field] as readonly JsonObject[];
  for (let index = 0; index < items.length; index += 1) {
    const failure = checkFields(items[index] as JsonObject, `${field}[${index}]`, required, {});
    if (failure) return failure;
  }
  return undefined;
}

function checkStringArrays(record: JsonObject, field: string, properties: readonly string[]): RecordFailure | undefined {
  const items = record[field] as readonly JsonObject[];
  for (let index = 0; index < items.length; index += 1) {
    for (const property of properties) {
      const value = (items[index] as JsonObject)[property];
      if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
        return fail('invalid_field', `${field}[${index}].${property} must be an array of strings, got ${describeType(value)}`);
      }
    }
  }
  return undefined;
}

/**
 * Turns a stored service record (or one built by the ordering rule) into its
 * canonical form and checks it. Never throws.
 */
export function normalizeService(input: unknown): RecordResult<ServiceRecord> {
  if (!isPlainObject(input)) {
    return fail('not_an_object', `service must be an object, got ${describeType(input)}`);
  }
  const tree = toCanonicalTree(input);
  return tree.ok ? checkService(tree.value) : tree;
}

/** The checks of normalizeService on a tree already in canonical form. */
export function checkService(record: JsonObject): RecordResult<ServiceRecord> {
  for (const field of ['deployments', 'events']) {
    if (record[field] === undefined) return fail('missing_field', `${field} is missing`);
  }
  const invalid =
    checkFields(record, '', SERVICE_REQUIRED, SERVICE_TYPED) ??
    checkEach(record, 'deployments', DEPLOYMENT_TYPED) ??
    checkRequiredEach(record, 'deployments', ['id', 'updatedAt']) ??
    checkEach(record, 'events', EVENT_TYPED) ??
    checkRequiredEach(record, 'events', ['eventId', 'eventName', 'eventType', 'time']) ??
    checkStringArrays(record, 'events', ['capacityProviderArns', 'containerInstanceArns']);
  if (invalid) return invalid;
  const service = record as unknown as ServiceRecord;
  if (service.describedAt !== undefined && !isCanonicalIso(service.describedAt)) {
    return fail('invalid_field', `describedAt ${quote(service.describedAt)} is not a timestamp`);
  }
  const identity = resolveServiceIdentity(service.serviceArn, service.clusterArn);
  if (!identity.ok) return identity;
  if (identity.value.serviceName !== service.serviceName) {
    return fail('arn_mismatch', `serviceName ${quote(service.serviceName)} differs from serviceArn ${quote(service.serviceArn)}`);
  }
  return ok(service);
}

/**
 * A DescribeServices `Service` (SDK object with Dates, or its JSON) as a record
 * taken at `describedAt`: ECS's `events` messages are left out (the record's
 * events are the EventBridge ones, which the ordering rule keeps), everything
 * else is kept in canonical form. `serviceName`, `status` and `deployments`
 * must be present, as DescribeServices always returns them.
 */
export function serviceSnapshot(described: unknown, describedAt: IsoTimestamp): RecordResult<ServiceRecord> {
  if (!isPlainObject(described)) {
    return fail('not_an_object', `service must be an object, got ${describeType(described)}`);
  }
  if (!isCanonicalIso(describedAt)) return fail('invalid_field', `describedAt ${quote(describedAt)} is not a canonical timestamp`);
  const tree = toCanonicalTree(described, SERVICE_MERGED_PROPERTIES);
  if (!tree.ok) return tree;
  const missing = checkFields(tree.value, '', ['status'], {});
  if (missing) return missing;
  if (described['deployments'] === undefined || described['deployments'] === null) return fail('missing_field', 'deployments is missing');
  return normalizeService({ ...tree.value, deployments: described['deployments'], events: [], describedAt });
}
