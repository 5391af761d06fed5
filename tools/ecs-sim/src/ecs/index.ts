export { createEcsService } from './ecs-service';
export type { EcsSimulator, PopulateOptions } from './ecs-service';
export type { EcsGroundTruth, EcsState, LaunchParams, StopParams } from './ecs-state';
export { CONTAINER_INSTANCE_STATE_CHANGE, TASK_STATE_CHANGE } from './events';
export { ARN_FORMAT_TAG } from './options';
export type { EcsServiceOptions } from './options';
export type { ArnFormat } from './arns';
export { createWorkload } from './workload';
export type { Workload, WorkloadOptions } from './workload';
