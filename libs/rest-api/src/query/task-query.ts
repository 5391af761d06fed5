import type { KeyPrefix } from '@ecs-state/domain';
import { parseContainerInstanceArn, TASK_STATUSES } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';
import type { ApiEntry, TaskFilterFields } from '../v1/api-record';
import { clusterScope, parseClusterParam } from './cluster-param';
import { parseServiceName } from './service-name';
import { buildFilter, type RecordFilter } from './record-filter';

export const TASK_FILTER_PARAMS = ['status', 'cluster', 'startedBy', 'family', 'containerInstance', 'launchType', 'group', 'desiredStatus', 'service'] as const;
export const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL'] as const;
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const MAX_FREE_TEXT = 256;

function taskOf(entry: ApiEntry): TaskFilterFields | undefined {
  return entry.state.kind === 'task' ? entry.state.fields : undefined;
}

function taskStatus(value: string): string {
  const upper = value.toUpperCase();
  if (!(TASK_STATUSES as readonly string[]).includes(upper)) throw new ApiError(400, MESSAGES.invalidStatus);
  return upper;
}

/** Turns validated task query parameters into a filter; throws ApiError with the original's messages. */
export function taskFilter(prefix: KeyPrefix, params: Readonly<Record<string, string>>): RecordFilter {
  const normalized: Record<string, string> = {};
  const tests: ((entry: ApiEntry) => boolean)[] = [];
  let keyPrefix: string | undefined;
  // Validation order follows the original: status, then cluster.
  if (params['status'] !== undefined) {
    const status = taskStatus(params['status']);
    normalized['status'] = status;
    tests.push((e) => taskOf(e)?.lastStatus === status);
  }
  if (params['cluster'] !== undefined) {
    const ref = parseClusterParam(params['cluster']);
    normalized['cluster'] = params['cluster'];
    const scope = clusterScope(prefix, 'task', ref);
    keyPrefix = scope.keyPrefix;
    if (scope.test) tests.push(scope.test);
  }
  const startedBy = params['startedBy'];
  if (startedBy !== undefined) {
    if (startedBy.length > MAX_FREE_TEXT) throw new ApiError(400, MESSAGES.parameterTooLong);
    normalized['startedBy'] = startedBy;
    tests.push((e) => taskOf(e)?.startedBy === startedBy);
  }
  const desired = params['desiredStatus'];
  if (desired !== undefined) {
    const status = taskStatus(desired);
    normalized['desiredStatus'] = status;
    tests.push((e) => taskOf(e)?.desiredStatus === status);
  }
  const family = params['family'];
  if (family !== undefined) {
    if (!NAME.test(family)) throw new ApiError(400, MESSAGES.invalidFamily);
    normalized['family'] = family;
    // Families contain neither ':' nor '/', so this matches exactly task-definition/<family>:<revision>.
    const marker = `:task-definition/${family}:`;
    tests.push((e) => taskOf(e)?.taskDefinitionArn?.includes(marker) === true);
  }
  const containerInstance = params['containerInstance'];
  if (containerInstance !== undefined) {
    normalized['containerInstance'] = containerInstance;
    tests.push(containerInstanceTest(containerInstance));
  }
  const launchType = params['launchType'];
  if (launchType !== undefined) {
    const upper = launchType.toUpperCase();
    if (!(LAUNCH_TYPES as readonly string[]).includes(upper)) throw new ApiError(400, MESSAGES.invalidLaunchType);
    normalized['launchType'] = upper;
    tests.push((e) => taskOf(e)?.launchType === upper);
  }
  const group = params['group'];
  if (group !== undefined) {
    if (group.length > MAX_FREE_TEXT) throw new ApiError(400, MESSAGES.parameterTooLong);
    normalized['group'] = group;
    tests.push((e) => taskOf(e)?.group === group);
  }
  const service = params['service'];
  if (service !== undefined) {
    normalized['service'] = parseServiceName(service);
    // ECS puts a service's tasks in the group `service:<name>`.
    const serviceGroup = `service:${service}`;
    tests.push((e) => taskOf(e)?.group === serviceGroup);
  }
  return buildFilter(normalized, keyPrefix, tests);
}

/** An instance ARN (either format, matched with its partition, region and account) or a bare instance id. */
function containerInstanceTest(value: string): (entry: ApiEntry) => boolean {
  if (!value.startsWith('arn:')) {
    if (!NAME.test(value) || value.length > 128) throw new ApiError(400, MESSAGES.invalidContainerInstance);
    return (e) => instanceIdOf(taskOf(e)?.containerInstanceArn) === value;
  }
  const parsed = parseContainerInstanceArn(value);
  if (!parsed.ok) throw new ApiError(400, MESSAGES.invalidContainerInstance);
  const arn = parsed.value;
  return (e) =>
    instanceIdOf(taskOf(e)?.containerInstanceArn) === arn.containerInstanceId &&
    e.location.partition === arn.partition &&
    e.location.region === arn.region &&
    e.location.account === arn.account &&
    (arn.clusterName === undefined || arn.clusterName === e.location.clusterName);
}

function instanceIdOf(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  const slash = arn.lastIndexOf('/');
  return slash < 0 ? undefined : arn.slice(slash + 1);
}
