import type { EventPublisher } from '../aws/event-publisher';
import type { ArnScope } from './arns';
import type { IdSource } from './ids';
import type { InstanceRecord, TaskRecord } from './model';
import { instanceEventDetail, taskEventDetail } from './render';

export const TASK_STATE_CHANGE = 'ECS Task State Change';
export const CONTAINER_INSTANCE_STATE_CHANGE = 'ECS Container Instance State Change';

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
