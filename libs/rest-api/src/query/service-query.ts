import type { KeyPrefix } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';
import type { ApiEntry, ServiceFilterFields } from '../v1/api-record';
import { clusterScope, parseClusterParam } from './cluster-param';
import { buildFilter, type RecordFilter } from './record-filter';
import { LAUNCH_TYPES } from './task-query';

export const SERVICE_FILTER_PARAMS = ['cluster', 'status', 'launchType', 'rolloutState'] as const;
const SERVICE_STATUSES = ['ACTIVE', 'DRAINING', 'INACTIVE'] as const;
const ROLLOUT_STATES = ['IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;

function serviceOf(entry: ApiEntry): ServiceFilterFields | undefined {
  return entry.state.kind === 'service' ? entry.state.fields : undefined;
}

function oneOf(value: string, allowed: readonly string[], message: string): string {
  const upper = value.toUpperCase();
  if (!allowed.includes(upper)) throw new ApiError(400, message);
  return upper;
}

/** Turns validated service query parameters into a filter; values are case-insensitive, as the task filters are. */
export function serviceFilter(prefix: KeyPrefix, params: Readonly<Record<string, string>>): RecordFilter {
  const normalized: Record<string, string> = {};
  const tests: ((entry: ApiEntry) => boolean)[] = [];
  let keyPrefix: string | undefined;
  if (params['status'] !== undefined) {
    const status = oneOf(params['status'], SERVICE_STATUSES, MESSAGES.invalidStatus);
    normalized['status'] = status;
    tests.push((e) => serviceOf(e)?.status === status);
  }
  if (params['cluster'] !== undefined) {
    const scope = clusterScope(prefix, 'service', parseClusterParam(params['cluster']));
    normalized['cluster'] = params['cluster'];
    keyPrefix = scope.keyPrefix;
    if (scope.test) tests.push(scope.test);
  }
  if (params['launchType'] !== undefined) {
    const launchType = oneOf(params['launchType'], LAUNCH_TYPES, MESSAGES.invalidLaunchType);
    normalized['launchType'] = launchType;
    tests.push((e) => serviceOf(e)?.launchType === launchType);
  }
  if (params['rolloutState'] !== undefined) {
    const rolloutState = oneOf(params['rolloutState'], ROLLOUT_STATES, MESSAGES.invalidRolloutState);
    normalized['rolloutState'] = rolloutState;
    tests.push((e) => serviceOf(e)?.rolloutState === rolloutState);
  }
  return buildFilter(normalized, keyPrefix, tests);
}
