// Pure fixtures and helpers: nothing here may load a client of etcd, Redis or a process.
// Those live in @ecs-state/test-services, so that a unit test of the domain stays pure.
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
export { modulesLoadedBy } from './modules-loaded-by';
export { eventually, type EventuallyOptions, type NotYet } from './eventually';
export { PACKED_WEB_TASK_DEFINITION } from './packed-web-task-definition';
export { WEB_TASK_DEFINITION } from './web-task-definition';
