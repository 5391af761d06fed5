import { clusterRefMatches, parseClusterArn, parseClusterRef, type ClusterRef } from '@ecs-state/domain';
import { idOf, textOf } from './entity-fields';
import type { Entity } from './record-item';
import type { ResourceKind } from './resource-kind';
import { primaryDeploymentOf } from './service-fields';
import { UsageError } from './usage-error';

/** The `-l key=value` keys a task list takes, spelled as the API's filters. */
const TASK_LABELS = ['group', 'startedBy', 'launchType', 'desiredStatus', 'containerInstance', 'service'] as const;
/** The `-l key=value` keys a service list takes. */
const SERVICE_LABELS = ['launchType', 'rolloutState'] as const;

/**
 * Which records a `get` shows: the API's filters, given as flags. The API filters the
 * list; a watch filters the stream's changes the same way here, since streams take no filter.
 */
export interface Selection {
  kind: ResourceKind;
  /** Query parameters of the list, as the API names them. */
  query: Readonly<Record<string, string>>;
  matches(entity: Entity): boolean;
}

export interface SelectionFlags {
  cluster: string | undefined;
  status: string | undefined;
  family: string | undefined;
  /** `-l key=value` (or `-l key` for an instance attribute), in order. */
  labels: readonly string[];
}

export function buildSelection(kind: ResourceKind, flags: SelectionFlags): Selection {
  const query: Record<string, string> = {};
  const tests: ((entity: Entity) => boolean)[] = [];
  if (flags.cluster !== undefined) {
    const ref = parseClusterRef(flags.cluster);
    if (!ref.ok) throw new UsageError(`--cluster: ${ref.message}`);
    query['cluster'] = flags.cluster;
    tests.push((e) => inCluster(ref.value, e));
  }
  if (flags.status !== undefined) {
    const status = flags.status.toUpperCase();
    query['status'] = status;
    tests.push((e) => textOf(e, kind === 'tasks' ? 'lastStatus' : 'status')?.toUpperCase() === status);
  }
  if (flags.family !== undefined) {
    if (kind !== 'tasks') throw new UsageError('--family only applies to tasks');
    const family = flags.family;
    query['family'] = family;
    tests.push((e) => textOf(e, 'taskDefinitionARN')?.includes(`:task-definition/${family}:`) === true);
  }
  for (const label of flags.labels) {
    const [key, test] = kind === 'tasks' ? taskLabel(label) : kind === 'services' ? serviceLabel(label) : instanceLabel(label);
    if (query[key] !== undefined) throw new UsageError(`-l ${label}: the API takes one ${key} filter`);
    query[key] = key === 'attribute' ? label : (valueOf(label) as string);
    tests.push(test);
  }
  return { kind, query, matches: (entity) => tests.every((test) => test(entity)) };
}

function valueOf(label: string): string | undefined {
  const eq = label.indexOf('=');
  return eq < 0 ? undefined : label.slice(eq + 1);
}

function taskLabel(label: string): [string, (e: Entity) => boolean] {
  const eq = label.indexOf('=');
  const given = eq < 0 ? label : label.slice(0, eq);
  const key = TASK_LABELS.find((k) => k.toLowerCase() === given.toLowerCase());
  if (key === undefined || eq < 0) throw new UsageError(`-l ${label}: tasks take -l <key>=<value> with a key among ${TASK_LABELS.join(', ')}`);
  const value = label.slice(eq + 1);
  switch (key) {
    case 'launchType':
    case 'desiredStatus':
      return [key, (e) => textOf(e, key)?.toUpperCase() === value.toUpperCase()];
    case 'containerInstance':
      // An id, or an ARN (either format) compared by its id, as the API does for the ARN's scope.
      return [key, (e) => idOf(textOf(e, 'containerInstanceARN')) === idOf(value)];
    case 'service':
      // A service's tasks are those of its group, as ECS names it.
      return [key, (e) => textOf(e, 'group') === `service:${value}`];
    default:
      return [key, (e) => textOf(e, key) === value];
  }
}

/** `launchType=<type>` or `rolloutState=<state>` (of the PRIMARY deployment), any case, as the API takes them. */
function serviceLabel(label: string): [string, (e: Entity) => boolean] {
  const eq = label.indexOf('=');
  const given = eq < 0 ? label : label.slice(0, eq);
  const key = SERVICE_LABELS.find((k) => k.toLowerCase() === given.toLowerCase());
  if (key === undefined || eq < 0) throw new UsageError(`-l ${label}: services take -l <key>=<value> with a key among ${SERVICE_LABELS.join(', ')}`);
  const value = label.slice(eq + 1).toUpperCase();
  const field = (e: Entity) => (key === 'launchType' ? textOf(e, 'launchType') : textOf(primaryDeploymentOf(e) ?? {}, 'rolloutState'));
  return [key, (e) => field(e)?.toUpperCase() === value];
}

/** `agentConnected=true|false`, or an attribute: `name=value`, or `name` for any value. */
function instanceLabel(label: string): [string, (e: Entity) => boolean] {
  const eq = label.indexOf('=');
  const name = eq < 0 ? label : label.slice(0, eq);
  const value = eq < 0 ? undefined : label.slice(eq + 1);
  if (name === '') throw new UsageError(`-l ${label}: instances take -l <attribute>[=<value>] or -l agentConnected=true|false`);
  if (name === 'agentConnected') {
    if (value !== 'true' && value !== 'false') throw new UsageError(`-l ${label}: agentConnected is true or false`);
    return ['agentConnected', (e) => (e['agentConnected'] === true) === (value === 'true')];
  }
  return ['attribute', (e) => attributesOf(e).some((a) => a.name === name && (value === undefined || a.value === value))];
}

function attributesOf(entity: Entity): { name: unknown; value: unknown }[] {
  const attributes = entity['attributes'];
  return Array.isArray(attributes) ? attributes.filter((a): a is { name: unknown; value: unknown } => typeof a === 'object' && a !== null) : [];
}

function inCluster(ref: ClusterRef, entity: Entity): boolean {
  const arn = parseClusterArn(textOf(entity, 'clusterARN') ?? '');
  return arn.ok && clusterRefMatches(ref, arn.value);
}
