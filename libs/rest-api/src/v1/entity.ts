import type { ContainerInstanceRecord, JsonValue, ServiceRecord, TaskRecord } from '@ecs-state/domain';

type JsonObject = { [key: string]: JsonValue };

/**
 * The v1 entity models spell ARNs `…ARN` and the EC2 id `EC2InstanceID`;
 * records keep ECS's spelling. Properties the v1 model does not name are kept
 * (the models allow additional properties), so nothing ECS reports is lost.
 */
export const TASK_RENAMES: Readonly<Record<string, string>> = {
  taskArn: 'taskARN',
  clusterArn: 'clusterARN',
  containerInstanceArn: 'containerInstanceARN',
  taskDefinitionArn: 'taskDefinitionARN',
};
export const CONTAINER_RENAMES: Readonly<Record<string, string>> = { containerArn: 'containerARN', taskArn: 'taskARN' };
const INSTANCE_RENAMES: Readonly<Record<string, string>> = {
  containerInstanceArn: 'containerInstanceARN',
  clusterArn: 'clusterARN',
  ec2InstanceId: 'EC2InstanceID',
};
/** Services were not in v1; their ARNs are spelled as the v1 entities spell theirs, so that clients read every kind alike. */
const SERVICE_RENAMES: Readonly<Record<string, string>> = { serviceArn: 'serviceARN', clusterArn: 'clusterARN' };

function renamed(source: { readonly [key: string]: JsonValue | undefined }, renames: Readonly<Record<string, string>>): JsonObject {
  const out: JsonObject = {};
  // for…in rather than Object.entries: no [key, value] array per property, for every record a load projects.
  for (const key in source) {
    if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
    const value = source[key];
    if (value !== undefined) out[renames[key] ?? key] = value;
  }
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The v1 TaskDetail. Fields the model requires but a record may lack (a
 * Fargate task has no container instance) are given empty values, so strict
 * v1 clients keep decoding.
 */
export function toTaskEntity(task: TaskRecord): JsonObject {
  const entity = renamed(task, TASK_RENAMES);
  entity['containers'] = (task.containers ?? []).map((container) => {
    const out = renamed(container, CONTAINER_RENAMES);
    out['containerARN'] ??= '';
    out['lastStatus'] ??= '';
    out['name'] ??= '';
    return out;
  });
  const overrides = isObject(task['overrides']) ? { ...task['overrides'] } : {};
  if (!Array.isArray(overrides['containerOverrides'])) overrides['containerOverrides'] = [];
  entity['overrides'] = overrides;
  entity['containerInstanceARN'] ??= '';
  entity['taskDefinitionARN'] ??= '';
  entity['createdAt'] ??= '';
  return entity;
}

/**
 * The v1 ContainerInstanceDetail. ECS resources carry typed values
 * (integerValue, stringSetValue, …); v1 resources have a string `value`, added
 * next to them.
 */
export function toInstanceEntity(instance: ContainerInstanceRecord): JsonObject {
  const entity = renamed(instance, INSTANCE_RENAMES);
  entity['agentConnected'] ??= false;
  entity['registeredResources'] = resources(instance['registeredResources']);
  entity['remainingResources'] = resources(instance['remainingResources']);
  entity['versionInfo'] = isObject(instance['versionInfo']) ? instance['versionInfo'] : {};
  if (Array.isArray(instance['attributes'])) {
    entity['attributes'] = instance['attributes'].filter(isObject).map((a) => ({ ...a, value: a['value'] ?? '' }));
  }
  return entity;
}

function resources(value: JsonValue | undefined): JsonObject[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((resource) => ({ ...resource, type: resource['type'] ?? '', name: resource['name'] ?? '', value: resourceValue(resource) }));
}

function resourceValue(resource: JsonObject): string {
  if (typeof resource['value'] === 'string') return resource['value'];
  for (const field of ['integerValue', 'longValue', 'doubleValue']) {
    const n = resource[field];
    if (typeof n === 'number') return String(n);
  }
  const set = resource['stringSetValue'];
  if (Array.isArray(set)) return set.map(String).join(',');
  return '';
}

/**
 * A service with its deployments and last events, in DescribeServices' field
 * names but for its own and its cluster's ARN. Every service record has both
 * lists (checkService refuses one without), so the entity always has them.
 */
export function toServiceEntity(service: ServiceRecord): JsonObject {
  return renamed(service, SERVICE_RENAMES);
}
