import type { KeyPrefix } from '@ecs-state/domain';
import { INSTANCE_STATUSES } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';
import type { ApiEntry, InstanceFilterFields } from '../v1/api-record';
import { clusterScope, parseClusterParam } from './cluster-param';
import { buildFilter, type RecordFilter } from './record-filter';
import { parseBooleanParam } from './strict-query';

export const INSTANCE_FILTER_PARAMS = ['status', 'cluster', 'agentConnected', 'attribute'] as const;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_./-]{1,128}$/;

function instanceOf(entry: ApiEntry): InstanceFilterFields | undefined {
  return entry.state.kind === 'instance' ? entry.state.fields : undefined;
}

export function instanceFilter(prefix: KeyPrefix, params: Readonly<Record<string, string>>): RecordFilter {
  const normalized: Record<string, string | boolean> = {};
  const tests: ((entry: ApiEntry) => boolean)[] = [];
  let keyPrefix: string | undefined;
  if (params['status'] !== undefined) {
    const status = params['status'].toUpperCase();
    if (!(INSTANCE_STATUSES as readonly string[]).includes(status)) throw new ApiError(400, MESSAGES.invalidStatus);
    normalized['status'] = status;
    tests.push((e) => instanceOf(e)?.status === status);
  }
  if (params['cluster'] !== undefined) {
    const scope = clusterScope(prefix, 'instance', parseClusterParam(params['cluster']));
    normalized['cluster'] = params['cluster'];
    keyPrefix = scope.keyPrefix;
    if (scope.test) tests.push(scope.test);
  }
  const connected = parseBooleanParam(params['agentConnected']);
  if (connected !== undefined) {
    normalized['agentConnected'] = connected;
    tests.push((e) => (instanceOf(e)?.agentConnected ?? false) === connected);
  }
  const attribute = params['attribute'];
  if (attribute !== undefined) {
    const eq = attribute.indexOf('=');
    const name = eq < 0 ? attribute : attribute.slice(0, eq);
    const value = eq < 0 ? undefined : attribute.slice(eq + 1);
    if (!ATTRIBUTE_NAME.test(name) || (value !== undefined && value.length > 1024)) throw new ApiError(400, MESSAGES.invalidAttribute);
    normalized['attribute'] = attribute;
    tests.push((e) => hasAttribute(instanceOf(e), name, value));
  }
  return buildFilter(normalized, keyPrefix, tests);
}

function hasAttribute(instance: InstanceFilterFields | undefined, name: string, value: string | undefined): boolean {
  return instance?.attributes.some((attribute) => attribute.name === name && (value === undefined || attribute.value === value)) ?? false;
}
