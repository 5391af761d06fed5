import { belongsToCluster, resolveTaskIdentity } from '../arn/resource-identity';
import { parseContainerInstanceArn } from '../arn/container-instance-arn';
import type { JsonObject, JsonValue } from '../json/json-value';
import { fail, ok } from '../result/result';
import { describeType } from '../text/quote';
import { checkEach, checkFields, checkVersion } from './field-checks';
import type { FieldTypes } from './field-checks';
import { isPlainObject, toCanonicalTree } from './json-tree';
import type { RecordResult } from './record-reject-reason';

/** An ISO-8601 string as produced by `Date#toISOString()`, e.g. `2020-01-23T17:57:58.103Z`. */
export type IsoTimestamp = string;

/** One container of a task, as stored. Unlisted properties are kept as JSON. */
export interface ContainerRecord {
  readonly containerArn?: string;
  readonly taskArn?: string;
  readonly name?: string;
  readonly image?: string;
  readonly lastStatus?: string;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly healthStatus?: string;
  readonly runtimeId?: string;
  readonly [property: string]: JsonValue | undefined;
}

/**
 * The stored state of an ECS task: the ECS `Task` structure in canonical form
 * (see README). Typed properties are checked; every other property AWS sends
 * is kept as JSON.
 */
export interface TaskRecord {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly version: number;
  readonly lastStatus: string;
  readonly desiredStatus: string;
  /** Absent for Fargate tasks. */
  readonly containerInstanceArn?: string;
  readonly taskDefinitionArn?: string;
  readonly startedBy?: string;
  readonly group?: string;
  readonly launchType?: string;
  readonly availabilityZone?: string;
  readonly stopCode?: string;
  readonly stoppedReason?: string;
  readonly healthStatus?: string;
  readonly createdAt?: IsoTimestamp;
  readonly startedAt?: IsoTimestamp;
  readonly stoppingAt?: IsoTimestamp;
  readonly stoppedAt?: IsoTimestamp;
  readonly executionStoppedAt?: IsoTimestamp;
  readonly pullStartedAt?: IsoTimestamp;
  readonly pullStoppedAt?: IsoTimestamp;
  readonly connectivityAt?: IsoTimestamp;
  readonly containers?: readonly ContainerRecord[];
  readonly [property: string]: JsonValue | undefined;
}

/**
 * Properties only events carry. ECS's DescribeTasks never returns `updatedAt`,
 * so keeping it would make the event and the API copy of one state differ.
 */
export const EVENT_ONLY_TASK_PROPERTIES: readonly string[] = ['updatedAt'];

const TASK_REQUIRED = ['taskArn', 'clusterArn', 'lastStatus', 'desiredStatus'] as const;

const TASK_TYPED: FieldTypes = {
  containerInstanceArn: 'string',
  taskDefinitionArn: 'string',
  startedBy: 'string',
  group: 'string',
  launchType: 'string',
  availabilityZone: 'string',
  stopCode: 'string',
  stoppedReason: 'string',
  healthStatus: 'string',
  containers: 'object-array',
  attachments: 'object-array',
};

const CONTAINER_TYPED: FieldTypes = {
  containerArn: 'string',
  taskArn: 'string',
  name: 'string',
  image: 'string',
  lastStatus: 'string',
  exitCode: 'number',
  reason: 'string',
  healthStatus: 'string',
  runtimeId: 'string',
};

/**
 * Turns an event's `detail`, an SDK `Task` (Date timestamps) or a stored
 * record back into a canonical `TaskRecord`. Never throws.
 */
export function normalizeTask(input: unknown): RecordResult<TaskRecord> {
  if (!isPlainObject(input)) {
    return fail('not_an_object', `task must be an object, got ${describeType(input)}`);
  }
  const tree = toCanonicalTree(input, EVENT_ONLY_TASK_PROPERTIES);
  return tree.ok ? checkTask(tree.value) : tree;
}

/** The checks of normalizeTask on a tree already in canonical form (see isCanonicalTree). */
export function checkTask(record: JsonObject): RecordResult<TaskRecord> {
  const invalid =
    checkVersion(record) ??
    checkFields(record, '', TASK_REQUIRED, TASK_TYPED) ??
    checkEach(record, 'containers', CONTAINER_TYPED);
  if (invalid) return invalid;
  const task = record as unknown as TaskRecord;
  const identity = resolveTaskIdentity(task.taskArn, task.clusterArn);
  if (!identity.ok) return identity;
  if (task.containerInstanceArn !== undefined) {
    const instance = parseContainerInstanceArn(task.containerInstanceArn);
    if (!instance.ok) return fail(instance.reason, `containerInstanceArn: ${instance.message}`);
    const mismatch = belongsToCluster(instance.value, 'containerInstanceArn', identity.value.clusterArn);
    if (mismatch) return mismatch;
  }
  return ok(task);
}
