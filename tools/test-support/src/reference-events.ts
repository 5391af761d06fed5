import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Reference material kept in the repository; `fixtures/README.md` says where each file came from. */
const FIXTURES_DIR = path.resolve(__dirname, '../fixtures');

/** The published ECS event samples, used as they are. */
export const REFERENCE_EVENTS_DIR = path.join(FIXTURES_DIR, 'ecs-events');

/** The original service's published v1 API specification (Swagger 2.0). */
export const V1_SPECIFICATION_FILE = path.join(FIXTURES_DIR, 'blox-css-v1-swagger.json');

export const CONTAINER_INSTANCE_SAMPLE = 'aws-doc-container-instance-state-change.json';
export const FARGATE_TASK_SAMPLE = 'aws-doc-task-state-change-fargate.json';

export interface ReferenceEvent {
  readonly name: string;
  /** The file as it is: what an SQS message body holds. */
  readonly body: string;
  readonly envelope: Record<string, unknown> & { 'detail-type': string; detail: Record<string, unknown> };
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

export function loadV1Specification(): Record<string, unknown> & { paths: Record<string, Record<string, { operationId?: string }>> } {
  return JSON.parse(readFileSync(V1_SPECIFICATION_FILE, 'utf8'));
}
