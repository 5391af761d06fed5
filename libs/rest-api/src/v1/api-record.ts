import { currentDeployment, type ContainerInstanceRecord, type ServiceRecord, type StateRecord, type TaskRecord } from '@ecs-state/domain';
import type { StateView, ViewChange, ViewEntry } from '@ecs-state/state-view';
import { toInstanceEntity, toServiceEntity } from './entity';
import { StringInterner } from './string-interner';
import { taskEntityBytes } from './task-entity-bytes';

/** The task fields list filters read; everything else is only ever sent. */
export interface TaskFilterFields {
  readonly lastStatus: string;
  readonly desiredStatus: string;
  readonly startedBy: string | undefined;
  readonly taskDefinitionArn: string | undefined;
  readonly containerInstanceArn: string | undefined;
  readonly launchType: string | undefined;
  readonly group: string | undefined;
}

export interface InstanceAttribute {
  readonly name: string;
  readonly value: string | undefined;
}

/** The container instance fields list filters read. */
export interface InstanceFilterFields {
  readonly status: string;
  readonly agentConnected: boolean | undefined;
  readonly attributes: readonly InstanceAttribute[];
}

/** The service fields list filters and the summary read. */
export interface ServiceFilterFields {
  /** Absent while the service is known only from its events (no DescribeServices snapshot yet). */
  readonly status: string | undefined;
  readonly launchType: string | undefined;
  /** The rollout state of the PRIMARY deployment (domain's currentDeployment). */
  readonly rolloutState: string | undefined;
}

/**
 * What the api keeps of a record: its v1 entity, serialized once as UTF-8
 * JSON, and the fields filters read. Gets, list pages and streams only copy
 * the bytes, and the view holds a handful of objects per record rather than
 * its whole parsed tree, which keeps garbage collection short.
 */
export type ApiRecord =
  | { readonly kind: 'task'; readonly entity: Buffer; readonly fields: TaskFilterFields }
  | { readonly kind: 'instance'; readonly entity: Buffer; readonly fields: InstanceFilterFields }
  | { readonly kind: 'service'; readonly entity: Buffer; readonly fields: ServiceFilterFields };

export type ApiView = StateView<ApiRecord>;
export type ApiEntry = ViewEntry<ApiRecord>;
export type ApiChange = ViewChange<ApiRecord>;

/** Shared by every projection: a view is one per process, and a reload repeats the same strings. */
const shared = new StringInterner();

function taskFields(task: TaskRecord): TaskFilterFields {
  return {
    lastStatus: shared.intern(task.lastStatus),
    desiredStatus: shared.intern(task.desiredStatus),
    startedBy: shared.intern(task.startedBy),
    taskDefinitionArn: shared.intern(task.taskDefinitionArn),
    containerInstanceArn: shared.intern(task.containerInstanceArn),
    launchType: shared.intern(task.launchType),
    group: shared.intern(task.group),
  };
}

function instanceFields(instance: ContainerInstanceRecord): InstanceFilterFields {
  const attributes: InstanceAttribute[] = [];
  const listed = instance['attributes'];
  if (Array.isArray(listed)) {
    for (const attribute of listed) {
      if (attribute === null || typeof attribute !== 'object' || Array.isArray(attribute)) continue;
      const { name, value } = attribute as { readonly [key: string]: unknown };
      // Filters compare with strings; an attribute without a string name can never match.
      if (typeof name === 'string') attributes.push({ name: shared.intern(name), value: shared.intern(typeof value === 'string' ? value : undefined) });
    }
  }
  return { status: shared.intern(instance.status), agentConnected: instance.agentConnected, attributes };
}

function serviceFields(service: ServiceRecord): ServiceFilterFields {
  const primary = currentDeployment(service.deployments);
  return { status: shared.intern(service.status), launchType: shared.intern(service.launchType), rolloutState: shared.intern(primary?.rolloutState) };
}

/** The view's projection for the api (StateViewOptions.project). */
export function projectApiRecord(state: StateRecord): ApiRecord {
  switch (state.kind) {
    case 'task':
      return { kind: 'task', entity: taskEntityBytes(state.record), fields: taskFields(state.record) };
    case 'instance':
      return { kind: 'instance', entity: Buffer.from(JSON.stringify(toInstanceEntity(state.record))), fields: instanceFields(state.record) };
    case 'service':
      return { kind: 'service', entity: Buffer.from(JSON.stringify(toServiceEntity(state.record))), fields: serviceFields(state.record) };
  }
}
