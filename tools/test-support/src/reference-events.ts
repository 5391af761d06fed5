import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The published ECS event samples, kept beside the checkout (../shared), used as they are. */
export const REFERENCE_EVENTS_DIR = path.resolve(__dirname, '../../../../shared/reference/ecs-events');

export const CONTAINER_INSTANCE_SAMPLE = 'aws-doc-container-instance-state-change.json';
export const FARGATE_TASK_SAMPLE = 'aws-doc-task-state-change-fargate.json';

export interface ReferenceEvent {
  readonly name: string;
  /** The file as it is: what an SQS message body holds. */
  readonly body: string;
  readonly envelope: Record<string, unknown> & { detail: Record<string, unknown> };
}

export function loadReferenceEvent(name: string): ReferenceEvent {
  const body = readFileSync(path.join(REFERENCE_EVENTS_DIR, name), 'utf8');
  return { name, body, envelope: JSON.parse(body) };
}

export function listReferenceEvents(): ReferenceEvent[] {
  return readdirSync(REFERENCE_EVENTS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map(loadReferenceEvent);
}
