import type { RecordKind } from '../records/state-record';

export const TASK_STATE_CHANGE = 'ECS Task State Change';
export const CONTAINER_INSTANCE_STATE_CHANGE = 'ECS Container Instance State Change';
export const SERVICE_ACTION = 'ECS Service Action';
export const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

/** The record kind an EventBridge `detail-type` carries; undefined for other ECS events. */
export function recordKindOfDetailType(detailType: string): RecordKind | undefined {
  if (detailType === TASK_STATE_CHANGE) return 'task';
  if (detailType === CONTAINER_INSTANCE_STATE_CHANGE) return 'instance';
  if (detailType === SERVICE_ACTION || detailType === DEPLOYMENT_STATE_CHANGE) return 'service';
  return undefined;
}
