import { ageOf } from './age';
import type { CliIo } from './cli-io';
import { familyRevisionOf, idOf, objectsOf, textOf } from './entity-fields';
import { EXIT } from './exit-status';
import type { Entity, RecordItem } from './record-item';
import { RESOURCE_ROUTES, type ResourceKind } from './resource-kind';
import { resourceUse, shareText } from './resource-usage';
import { deploymentsOf, launchOf, serviceEventsOf } from './service-fields';
import type { StateApi } from './state-api';
import { outputWidth, TablePrinter } from './table';
import { UsageError } from './usage-error';

export interface DescribeCommand {
  name: 'describe';
  kind: ResourceKind;
  cluster: string;
  /** An ARN, or the id it ends with. */
  ref: string;
  json: boolean;
}

/** `describe task|instance <cluster> <arn-or-id>`, `describe service <cluster> <name-or-arn>`: one record, for a person to read (or as JSON with -o json). */
export async function describeCommand(api: StateApi, command: DescribeCommand, io: CliIo): Promise<number> {
  const item = await findRecord(api, command);
  if (item === null) {
    io.err(`ecs-state: no ${RESOURCE_ROUTES[command.kind].noun} ${command.ref} in cluster ${command.cluster}`);
    return EXIT.runFailed;
  }
  if (command.json) {
    io.out(JSON.stringify(item, null, 2));
    return EXIT.ok;
  }
  const now = (io.now ?? Date.now)();
  const width = outputWidth(io.columns, io.env);
  if (command.kind === 'tasks') describeTask(item, now, width, io.out);
  else if (command.kind === 'services') describeService(item, now, width, io.out);
  else await describeInstance(api, item, now, width, io.out);
  return EXIT.ok;
}

/**
 * The API gets a task or instance by ARN only; an id is looked up in the cluster's list (a
 * cluster name may stand for clusters of several accounts or regions: then the ARN is
 * needed). It gets a service by name or ARN.
 */
async function findRecord(api: StateApi, command: DescribeCommand): Promise<RecordItem | null> {
  if (command.ref.startsWith('arn:') || command.kind === 'services') return api.get(command.kind, command.cluster, command.ref);
  const arnField = RESOURCE_ROUTES[command.kind].arnField;
  const found: RecordItem[] = [];
  for await (const page of api.pages(command.kind, { cluster: command.cluster })) {
    found.push(...page.items.filter((item) => idOf(textOf(item.entity, arnField)) === command.ref));
  }
  if (found.length > 1) {
    const arns = found.map((item) => textOf(item.entity, arnField)).join(', ');
    throw new UsageError(`${command.ref} names ${found.length} ${RESOURCE_ROUTES[command.kind].noun}s in clusters named ${command.cluster}: give the ARN (${arns})`);
  }
  return found[0] ?? null;
}

type Field = [label: string, value: string | undefined];

function printFields(fields: readonly Field[], out: (line: string) => void): void {
  const shown = fields.filter((field): field is [string, string] => field[1] !== undefined);
  const width = Math.max(...shown.map(([label]) => label.length)) + 2;
  for (const [label, value] of shown) out(`${`${label}:`.padEnd(width)}${value}`);
}

function when(entity: Entity, field: string, now: number): string | undefined {
  const at = textOf(entity, field);
  return at === undefined ? undefined : `${at} (${ageOf(at, now)} ago)`;
}

function scalar(entity: Entity, field: string): string | undefined {
  const value = entity[field];
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function describeTask(item: RecordItem, now: number, width: number, out: (line: string) => void): void {
  const task = item.entity;
  const cpu = scalar(task, 'cpu');
  const memory = scalar(task, 'memory');
  printFields(
    [
      ['Task', textOf(task, 'taskARN')],
      ['Cluster', textOf(task, 'clusterARN')],
      ['Task definition', familyRevisionOf(task)],
      ['Last status', textOf(task, 'lastStatus')],
      ['Desired status', textOf(task, 'desiredStatus')],
      ['Launch type', textOf(task, 'launchType')],
      ['Container instance', textOf(task, 'containerInstanceARN')],
      ['Group', textOf(task, 'group')],
      ['Started by', textOf(task, 'startedBy')],
      ['Zone', textOf(task, 'availabilityZone')],
      ['CPU / memory', cpu === undefined && memory === undefined ? undefined : `${cpu ?? '-'} / ${memory ?? '-'}`],
      ['Health', textOf(task, 'healthStatus')],
      ['Created', when(task, 'createdAt', now)],
      ['Started', when(task, 'startedAt', now)],
      ['Stopping', when(task, 'stoppingAt', now)],
      ['Stopped', when(task, 'stoppedAt', now)],
      ['Stop code', textOf(task, 'stopCode')],
      ['Stopped reason', textOf(task, 'stoppedReason')],
      ['ECS version', scalar(task, 'version')],
      ['Store revision', item.metadata.entityVersion],
    ],
    out,
  );
  const containers = objectsOf(task['containers']);
  out('Containers:');
  if (containers.length === 0) {
    out('  (none)');
    return;
  }
  const table = new TablePrinter<Entity>(
    [
      { header: 'NAME', value: (c) => textOf(c, 'name') ?? '-' },
      { header: 'STATUS', value: (c) => textOf(c, 'lastStatus') ?? '-' },
      { header: 'EXIT', value: (c) => scalar(c, 'exitCode') ?? '-' },
      { header: 'HEALTH', value: (c) => textOf(c, 'healthStatus') ?? '-' },
      { header: 'IMAGE', value: (c) => textOf(c, 'image') ?? '-', shrinkTo: 20 },
      { header: 'REASON', value: (c) => textOf(c, 'reason') ?? '-', shrinkTo: 20 },
    ],
    width - 2,
    (line) => out(`  ${line}`),
  );
  table.rows(containers);
}

async function describeInstance(api: StateApi, item: RecordItem, now: number, width: number, out: (line: string) => void): Promise<void> {
  const instance = item.entity;
  const versionInfo = typeof instance['versionInfo'] === 'object' && instance['versionInfo'] !== null ? (instance['versionInfo'] as Entity) : {};
  printFields(
    [
      ['Container instance', textOf(instance, 'containerInstanceARN')],
      ['Cluster', textOf(instance, 'clusterARN')],
      ['EC2 instance', textOf(instance, 'EC2InstanceID')],
      ['Status', textOf(instance, 'status')],
      ['Status reason', textOf(instance, 'statusReason')],
      ['Agent', instance['agentConnected'] === true ? 'connected' : 'disconnected'],
      ['Agent version', textOf(versionInfo, 'agentVersion')],
      ['Docker version', textOf(versionInfo, 'dockerVersion')],
      ['Registered', when(instance, 'registeredAt', now)],
      ['Running tasks', scalar(instance, 'runningTasksCount')],
      ['Pending tasks', scalar(instance, 'pendingTasksCount')],
      ['ECS version', scalar(instance, 'version')],
      ['Store revision', item.metadata.entityVersion],
    ],
    out,
  );
  const registered = objectsOf(instance['registeredResources']);
  const remaining = new Map(objectsOf(instance['remainingResources']).map((r) => [textOf(r, 'name'), r]));
  out('Resources:');
  const resources = new TablePrinter<Entity>(
    [
      { header: 'NAME', value: (r) => textOf(r, 'name') ?? '-' },
      { header: 'REGISTERED', value: (r) => textOf(r, 'value') ?? '-', shrinkTo: 12 },
      { header: 'REMAINING', value: (r) => textOf(remaining.get(textOf(r, 'name')) ?? {}, 'value') ?? '-', shrinkTo: 12 },
      {
        header: 'USED',
        value: (r) => {
          const name = textOf(r, 'name');
          if (name !== 'CPU' && name !== 'MEMORY') return '';
          const use = resourceUse(instance, name);
          return use === undefined ? '-' : `${use.used} (${shareText(use)})`;
        },
      },
    ],
    width - 2,
    (line) => out(`  ${line}`),
  );
  resources.rows(registered);
  const attributes = objectsOf(instance['attributes']);
  out('Attributes:');
  for (const a of attributes) out(`  ${textOf(a, 'name') ?? '?'}${textOf(a, 'value') === undefined ? '' : `=${textOf(a, 'value')}`}`);
  if (attributes.length === 0) out('  (none)');

  const clusterArn = textOf(instance, 'clusterARN');
  const id = idOf(textOf(instance, 'containerInstanceARN'));
  if (clusterArn === undefined || id === undefined) return;
  out('Tasks:');
  const tasks = new TablePrinter<Entity>(
    [
      { header: 'TASK', value: (t) => idOf(textOf(t, 'taskARN')) ?? '-' },
      { header: 'TASK DEFINITION', value: (t) => familyRevisionOf(t) ?? '-', shrinkTo: 12 },
      { header: 'LAST', value: (t) => textOf(t, 'lastStatus') ?? '-' },
      { header: 'DESIRED', value: (t) => textOf(t, 'desiredStatus') ?? '-' },
      { header: 'GROUP', value: (t) => textOf(t, 'group') ?? '-', shrinkTo: 10 },
      { header: 'AGE', value: (t) => ageOf(textOf(t, 'createdAt'), now) },
    ],
    width - 2,
    (line) => out(`  ${line}`),
  );
  let placed = 0;
  for await (const page of api.pages('tasks', { cluster: clusterArn, containerInstance: id })) {
    if (page.items.length > 0) tasks.rows(page.items.map((t) => t.entity));
    placed += page.items.length;
  }
  if (placed === 0) out('  (none)');
}

function deploymentConfigurationText(service: Entity): string | undefined {
  const config = service['deploymentConfiguration'];
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const c = config as Entity;
  const breaker = c['deploymentCircuitBreaker'];
  const b = typeof breaker === 'object' && breaker !== null ? (breaker as Entity) : undefined;
  const parts = [
    scalar(c, 'minimumHealthyPercent') === undefined ? undefined : `minimum healthy ${scalar(c, 'minimumHealthyPercent')}%`,
    scalar(c, 'maximumPercent') === undefined ? undefined : `maximum ${scalar(c, 'maximumPercent')}%`,
    b === undefined ? undefined : `circuit breaker ${b['enable'] === true ? (b['rollback'] === true ? 'on, rolls back' : 'on, no rollback') : 'off'}`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(', ');
}

function counts(service: Entity): string | undefined {
  const [desired, running, pending] = ['desiredCount', 'runningCount', 'pendingCount'].map((field) => scalar(service, field));
  return desired === undefined && running === undefined && pending === undefined ? undefined : `${desired ?? '-'} desired, ${running ?? '-'} running, ${pending ?? '-'} pending`;
}

function describeService(item: RecordItem, now: number, width: number, out: (line: string) => void): void {
  const service = item.entity;
  printFields(
    [
      ['Service', textOf(service, 'serviceARN')],
      ['Cluster', textOf(service, 'clusterARN')],
      ['Status', textOf(service, 'status')],
      ['Tasks', counts(service)],
      ['Task definition', familyRevisionOf(service, 'taskDefinition')],
      ['Launch', launchOf(service)],
      ['Deployment', deploymentConfigurationText(service)],
      ['Load balancers', objectsOf(service['loadBalancers']).length > 0 ? String(objectsOf(service['loadBalancers']).length) : undefined],
      ['Created', when(service, 'createdAt', now)],
      ['Described', when(service, 'describedAt', now)],
      ['Store revision', item.metadata.entityVersion],
    ],
    out,
  );
  const indented = (line: string) => out(`  ${line}`);
  const count = (entity: Entity, field: string) => scalar(entity, field) ?? '-';
  out('Deployments:');
  const deployments = deploymentsOf(service);
  if (deployments.length === 0) out('  (none)');
  else
    new TablePrinter<Entity>(
      [
        { header: 'ID', value: (d) => textOf(d, 'id') ?? '-', shrinkTo: 10 },
        { header: 'STATUS', value: (d) => textOf(d, 'status') ?? '-' },
        { header: 'ROLLOUT', value: (d) => textOf(d, 'rolloutState') ?? '-', minWidth: 11 },
        { header: 'TASK DEFINITION', value: (d) => familyRevisionOf(d, 'taskDefinition') ?? '-', shrinkTo: 12 },
        { header: 'DESIRED', value: (d) => count(d, 'desiredCount') },
        { header: 'RUNNING', value: (d) => count(d, 'runningCount') },
        { header: 'PENDING', value: (d) => count(d, 'pendingCount') },
        { header: 'FAILED', value: (d) => count(d, 'failedTasks') },
        { header: 'UPDATED', value: (d) => ageOf(textOf(d, 'updatedAt'), now) },
        { header: 'REASON', value: (d) => textOf(d, 'rolloutStateReason') ?? '-', shrinkTo: 20 },
      ],
      width - 2,
      indented,
    ).rows(deployments);
  out('Events:');
  const events = serviceEventsOf(service);
  if (events.length === 0) out('  (none)');
  else
    new TablePrinter<Entity>(
      [
        { header: 'AGE', value: (e) => ageOf(textOf(e, 'time'), now) },
        { header: 'TYPE', value: (e) => textOf(e, 'eventType') ?? '-' },
        { header: 'EVENT', value: (e) => textOf(e, 'eventName') ?? '-', shrinkTo: 16 },
        { header: 'DEPLOYMENT', value: (e) => textOf(e, 'deploymentId') ?? '-', shrinkTo: 10 },
        { header: 'REASON', value: (e) => textOf(e, 'reason') ?? '-', shrinkTo: 20 },
      ],
      width - 2,
      indented,
    ).rows(events);
}
