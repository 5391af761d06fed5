import type { EventPublisher } from '../aws/event-publisher';
import type { ArnScope } from './arns';
import type { IdSource } from './ids';
import type { InstanceRecord, TaskRecord } from './model';
import { instanceEventDetail, isoStamp, taskEventDetail } from './render';
import type { DeploymentRecord, ServiceRecord } from './service-model';

export const TASK_STATE_CHANGE = 'ECS Task State Change';
export const CONTAINER_INSTANCE_STATE_CHANGE = 'ECS Container Instance State Change';
export const SERVICE_ACTION = 'ECS Service Action';
export const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

export type ServiceEventType = 'INFO' | 'WARN' | 'ERROR';

/** What an "ECS Service Action" event says besides its name and type. */
export interface ServiceActionDetails {
  readonly reason?: string;
  readonly capacityProviderArns?: readonly string[];
  readonly containerInstanceArns?: readonly string[];
}

/** EventBridge writes `time` with seconds precision. */
function eventTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Builds the EventBridge envelope ECS state changes arrive in and hands it to the sink. */
export class EventEmitter {
  sink: EventPublisher | undefined;

  constructor(
    private readonly scope: ArnScope,
    private readonly ids: IdSource,
    sink: EventPublisher | undefined,
  ) {
    this.sink = sink;
  }

  taskChanged(task: TaskRecord): void {
    if (!this.sink) return;
    this.emit(TASK_STATE_CHANGE, task.arn, task.updatedAt, taskEventDetail(task));
  }

  instanceChanged(instance: InstanceRecord): void {
    if (!this.sink) return;
    this.emit(CONTAINER_INSTANCE_STATE_CHANGE, instance.arn, instance.updatedAt, instanceEventDetail(instance));
  }

  /**
   * An "ECS Service Action" event as the ECS Developer Guide shows them: no `version`
   * in `detail` (service events have none), `createdAt` with milliseconds.
   */
  serviceAction(service: ServiceRecord, eventName: string, eventType: ServiceEventType, at: number, details: ServiceActionDetails = {}): void {
    if (!this.sink) return;
    const detail: Record<string, unknown> = { eventType, eventName, clusterArn: service.cluster.arn };
    if (details.capacityProviderArns !== undefined) detail.capacityProviderArns = details.capacityProviderArns;
    if (details.containerInstanceArns !== undefined) detail.containerInstanceArns = details.containerInstanceArns;
    if (details.reason !== undefined) detail.reason = details.reason;
    detail.createdAt = isoStamp(at);
    this.emit(SERVICE_ACTION, service.arn, at, detail);
  }

  /** An "ECS Deployment State Change" event: the deployment's id, its `updatedAt` and the reason ECS gives. */
  deploymentChanged(service: ServiceRecord, deployment: DeploymentRecord, eventName: string, eventType: ServiceEventType, reason: string): void {
    if (!this.sink) return;
    const detail = { eventType, eventName, deploymentId: deployment.id, updatedAt: isoStamp(deployment.updatedAt), reason };
    this.emit(DEPLOYMENT_STATE_CHANGE, service.arn, deployment.updatedAt, detail);
  }

  private emit(detailType: string, resource: string, at: number, detail: Record<string, unknown>): void {
    const event = {
      version: '0',
      id: this.ids.uuid(),
      'detail-type': detailType,
      source: 'aws.ecs',
      account: this.scope.account,
      time: eventTime(at),
      region: this.scope.region,
      resources: [resource],
      detail,
    };
    this.sink?.publish(JSON.stringify(event));
  }
}
