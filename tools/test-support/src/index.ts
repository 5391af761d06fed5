export {
  CONTAINER_INSTANCE_SAMPLE,
  FARGATE_TASK_SAMPLE,
  listReferenceEvents,
  loadReferenceEvent,
  REFERENCE_EVENTS_DIR,
  type ReferenceEvent,
} from './reference-events';
export { sampleInstance, sampleTask } from './sample-records';
export { newClient, uniquePrefix, waitFor, writer } from './test-etcd';
export { ServiceProcess, type ServiceProcessOptions } from './service-process';
export { IngestorProcess, type IngestorProcessOptions } from './ingestor-process';
export { registerWebTaskDefinition } from './ecs-fixtures';
