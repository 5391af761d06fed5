import { canonicalJson } from '../json/canonical-json';
import type { JsonObject } from '../json/json-value';
import { ok } from '../result/result';
import type { ContainerInstanceRecord } from './container-instance-record';
import { checkContainerInstance, EVENT_ONLY_INSTANCE_PROPERTIES, normalizeContainerInstance } from './container-instance-record';
import { isCanonicalTree, isPlainObject } from './json-tree';
import type { RecordResult } from './record-reject-reason';
import type { ServiceRecord } from './service-record';
import { checkService, normalizeService } from './service-record';
import type { TaskRecord } from './task-record';
import { checkTask, EVENT_ONLY_TASK_PROPERTIES, normalizeTask } from './task-record';

export type RecordKind = 'task' | 'instance' | 'service';

export const RECORD_KINDS: readonly RecordKind[] = ['task', 'instance', 'service'];

// Type aliases rather than interfaces so they stay assignable to JsonValue.
export type TaskState = { readonly kind: 'task'; readonly record: TaskRecord };

export type InstanceState = { readonly kind: 'instance'; readonly record: ContainerInstanceRecord };

export type ServiceState = { readonly kind: 'service'; readonly record: ServiceRecord };

/** The kinds whose records carry ECS's version counter; services are merged instead (see versioning/merge-service). */
export type VersionedState = TaskState | InstanceState;

/** One stored unit of cluster state: a task, a container instance or a service. */
export type StateRecord = TaskState | InstanceState | ServiceState;

export function normalizeStateRecord(kind: RecordKind, input: unknown): RecordResult<StateRecord> {
  if (kind === 'task') {
    const task = normalizeTask(input);
    return task.ok ? ok({ kind, record: task.value }) : task;
  }
  if (kind === 'service') {
    const service = normalizeService(input);
    return service.ok ? ok({ kind, record: service.value }) : service;
  }
  const instance = normalizeContainerInstance(input);
  return instance.ok ? ok({ kind, record: instance.value }) : instance;
}

/**
 * normalizeStateRecord for a value fresh from JSON.parse that nobody else
 * holds, such as a stored record: when it is already canonical, as everything
 * the store writes is, it is checked and kept as it is instead of copied. The
 * result equals normalizeStateRecord's either way.
 */
export function normalizeParsedStateRecord(kind: RecordKind, parsed: unknown): RecordResult<StateRecord> {
  if (!isPlainObject(parsed)) return normalizeStateRecord(kind, parsed);
  if (kind === 'task') {
    if (!isCanonicalTree(parsed, EVENT_ONLY_TASK_PROPERTIES)) return normalizeStateRecord(kind, parsed);
    const task = checkTask(parsed as JsonObject);
    return task.ok ? ok({ kind, record: task.value }) : task;
  }
  if (kind === 'service') {
    if (!isCanonicalTree(parsed)) return normalizeStateRecord(kind, parsed);
    const service = checkService(parsed as JsonObject);
    return service.ok ? ok({ kind, record: service.value }) : service;
  }
  if (!isCanonicalTree(parsed, EVENT_ONLY_INSTANCE_PROPERTIES)) return normalizeStateRecord(kind, parsed);
  const instance = checkContainerInstance(parsed as JsonObject);
  return instance.ok ? ok({ kind, record: instance.value }) : instance;
}

/** The ARN ECS identifies the record by (taskArn, containerInstanceArn or serviceArn). */
export function recordArn(state: StateRecord): string {
  if (state.kind === 'task') return state.record.taskArn;
  return state.kind === 'instance' ? state.record.containerInstanceArn : state.record.serviceArn;
}

export function recordClusterArn(state: StateRecord): string {
  return state.record.clusterArn;
}

/** ECS's version counter of the record; see versioning/isNewer. Services have none. */
export function recordVersion(state: VersionedState): number {
  return state.record.version;
}

type Comparable = TaskRecord | ContainerInstanceRecord | ServiceRecord | StateRecord;

/** Equal when the canonical serializations are byte-identical. */
export function recordsEqual(a: Comparable, b: Comparable): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
