export {
  CONTAINER_INSTANCE_SAMPLE,
  FARGATE_TASK_SAMPLE,
  listReferenceEvents,
  loadReferenceEvent,
  loadV1Specification,
  REFERENCE_EVENTS_DIR,
  type ReferenceEvent,
  V1_SPECIFICATION_FILE,
} from './reference-events';
export { referenceRecord, sampleInstance, sampleTask } from './sample-records';
export { newClient, uniquePrefix, waitFor, writer } from './test-etcd';
export { ServiceProcess, type ServiceProcessOptions } from './service-process';
export { IngestorProcess, type IngestorProcessOptions } from './ingestor-process';
export { registerWebTaskDefinition } from './ecs-fixtures';
