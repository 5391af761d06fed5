import { ageOf } from './age';
import { clusterNameOf, familyRevisionOf, idOf, textOf } from './entity-fields';
import type { RecordItem } from './record-item';
import { resourceUse, useText } from './resource-usage';
import type { ResourceKind } from './resource-kind';
import { deploymentsOf, launchOf, primaryDeploymentOf, serviceEventsOf } from './service-fields';
import type { Column } from './table';

/** A row of `get`: a record, and in a watch what happened to it. */
export interface RecordRow {
  item: RecordItem;
  /** `ADDED`, `MODIFIED`, `DELETED` for a watch's changes; empty for the listed records. */
  event: string;
}

const dash = (value: string | undefined): string => value ?? '-';

function attribute(row: RecordRow, name: string): string | undefined {
  const attributes = row.item.entity['attributes'];
  if (!Array.isArray(attributes)) return undefined;
  const found: unknown = attributes.find((a: unknown) => typeof a === 'object' && a !== null && (a as { name?: unknown }).name === name);
  const value = typeof found === 'object' && found !== null ? (found as { value?: unknown }).value : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function taskColumns(now: () => number, wide: boolean): Column<RecordRow>[] {
  const text = (row: RecordRow, field: string) => dash(textOf(row.item.entity, field));
  const columns: Column<RecordRow>[] = [
    { header: 'CLUSTER', value: (r) => dash(clusterNameOf(r.item.entity)), shrinkTo: 10 },
    { header: 'TASK', value: (r) => dash(idOf(textOf(r.item.entity, 'taskARN'))), minWidth: 32 },
    { header: 'TASK DEFINITION', value: (r) => dash(familyRevisionOf(r.item.entity)), shrinkTo: 12 },
    { header: 'LAST', value: (r) => text(r, 'lastStatus'), minWidth: 8 },
    { header: 'DESIRED', value: (r) => text(r, 'desiredStatus') },
    { header: 'LAUNCH', value: (r) => text(r, 'launchType'), minWidth: 7 },
    // Fargate tasks have no instance (the v1 entity says "").
    { header: 'INSTANCE', value: (r) => dash(idOf(textOf(r.item.entity, 'containerInstanceARN'))), minWidth: 8, shrinkTo: 8 },
    { header: 'AGE', value: (r) => ageOf(textOf(r.item.entity, 'createdAt'), now()), minWidth: 3 },
  ];
  if (!wide) return columns;
  return [
    ...columns,
    { header: 'GROUP', value: (r) => text(r, 'group'), shrinkTo: 10 },
    { header: 'STARTED BY', value: (r) => text(r, 'startedBy'), shrinkTo: 10 },
    { header: 'HEALTH', value: (r) => text(r, 'healthStatus') },
    { header: 'ZONE', value: (r) => text(r, 'availabilityZone') },
    { header: 'STOP CODE', value: (r) => text(r, 'stopCode'), shrinkTo: 9 },
  ];
}

function instanceColumns(now: () => number, wide: boolean): Column<RecordRow>[] {
  const count = (row: RecordRow, field: string) => {
    const n = row.item.entity[field];
    return typeof n === 'number' ? String(n) : '-';
  };
  const columns: Column<RecordRow>[] = [
    { header: 'CLUSTER', value: (r) => dash(clusterNameOf(r.item.entity)), shrinkTo: 10 },
    { header: 'INSTANCE', value: (r) => dash(idOf(textOf(r.item.entity, 'containerInstanceARN'))), minWidth: 32 },
    { header: 'EC2 INSTANCE', value: (r) => dash(textOf(r.item.entity, 'EC2InstanceID')), shrinkTo: 12 },
    { header: 'STATUS', value: (r) => dash(textOf(r.item.entity, 'status')), minWidth: 8 },
    { header: 'AGENT', value: (r) => (r.item.entity['agentConnected'] === true ? 'connected' : 'disconnected') },
    { header: 'TASKS', value: (r) => count(r, 'runningTasksCount') },
    { header: 'CPU', value: (r) => useText(resourceUse(r.item.entity, 'CPU')) },
    { header: 'MEMORY', value: (r) => useText(resourceUse(r.item.entity, 'MEMORY')) },
    { header: 'AGE', value: (r) => ageOf(textOf(r.item.entity, 'registeredAt'), now()), minWidth: 3 },
  ];
  if (!wide) return columns;
  const versionInfo = (row: RecordRow): string | undefined => {
    const info = row.item.entity['versionInfo'];
    const agent = typeof info === 'object' && info !== null ? (info as { agentVersion?: unknown }).agentVersion : undefined;
    return typeof agent === 'string' && agent !== '' ? agent : undefined;
  };
  return [
    ...columns,
    { header: 'PENDING', value: (r) => count(r, 'pendingTasksCount') },
    { header: 'AGENT VERSION', value: (r) => dash(versionInfo(r)) },
    { header: 'TYPE', value: (r) => dash(attribute(r, 'ecs.instance-type')), shrinkTo: 8 },
    { header: 'ZONE', value: (r) => dash(attribute(r, 'ecs.availability-zone')) },
  ];
}

function serviceColumns(now: () => number, wide: boolean): Column<RecordRow>[] {
  const count = (row: RecordRow, field: string) => {
    const n = row.item.entity[field];
    return typeof n === 'number' ? String(n) : '-';
  };
  const primary = (row: RecordRow) => primaryDeploymentOf(row.item.entity) ?? {};
  const columns: Column<RecordRow>[] = [
    { header: 'CLUSTER', value: (r) => dash(clusterNameOf(r.item.entity)), shrinkTo: 10 },
    { header: 'SERVICE', value: (r) => dash(textOf(r.item.entity, 'serviceName')), minWidth: 8, shrinkTo: 12 },
    { header: 'STATUS', value: (r) => dash(textOf(r.item.entity, 'status')), minWidth: 8 },
    { header: 'DESIRED', value: (r) => count(r, 'desiredCount') },
    { header: 'RUNNING', value: (r) => count(r, 'runningCount') },
    { header: 'PENDING', value: (r) => count(r, 'pendingCount') },
    { header: 'ROLLOUT', value: (r) => dash(textOf(primary(r), 'rolloutState')), minWidth: 11 },
    { header: 'TASK DEFINITION', value: (r) => dash(familyRevisionOf(r.item.entity, 'taskDefinition')), shrinkTo: 12 },
    { header: 'LAUNCH', value: (r) => dash(launchOf(r.item.entity)), minWidth: 7, shrinkTo: 7 },
    { header: 'AGE', value: (r) => ageOf(textOf(r.item.entity, 'createdAt'), now()), minWidth: 3 },
  ];
  if (!wide) return columns;
  const lastEvent = (row: RecordRow) => serviceEventsOf(row.item.entity)[0] ?? {};
  return [
    ...columns,
    { header: 'DEPLOYMENTS', value: (r) => String(deploymentsOf(r.item.entity).length) },
    { header: 'PRIMARY DEPLOYMENT', value: (r) => dash(textOf(primary(r), 'id')), shrinkTo: 10 },
    { header: 'LAST EVENT', value: (r) => dash(textOf(lastEvent(r), 'eventName')), shrinkTo: 12 },
  ];
}

const COLUMNS_OF: Readonly<Record<ResourceKind, (now: () => number, wide: boolean) => Column<RecordRow>[]>> = {
  tasks: taskColumns,
  instances: instanceColumns,
  services: serviceColumns,
};

/** The table of `get tasks|instances|services` (`-o wide` adds columns); a watch leads with the EVENT column. */
export function recordColumns(kind: ResourceKind, options: { now: () => number; wide: boolean; watch: boolean }): Column<RecordRow>[] {
  const columns = COLUMNS_OF[kind](options.now, options.wide);
  return options.watch ? [{ header: 'EVENT', value: (r) => r.event, minWidth: 8 }, ...columns] : columns;
}
