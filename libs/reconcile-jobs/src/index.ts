export { DEFAULT_QUEUE_PREFIX, JOB_NAMES, QUEUE_NAMES, SCHEDULER_ID } from './names';
export { reconcileQueuePrefixSetting } from './queue-prefix-setting';
export {
  clusterJobDataSchema,
  clusterListSchema,
  RECONCILE_TRIGGERS,
  runJobDataSchema,
  type ClusterJobData,
  type ReconcileTrigger,
  type RunJobData,
} from './job-data';
export { buildDriftReport, clusterTarget } from './drift-report';
export { RUN_STATES, type ReconcileRunState, type ReconcileRunView } from './run-view';
export { createRedisConnection, type ConnectionRole, type RedisConnectionInput } from './redis-connection';
export { RedisUnavailableError } from './redis-unavailable-error';
export {
  createReconcileClient,
  isRunId,
  RECONCILE_CLIENT_DEFAULTS,
  type EnqueueOptions,
  type EnqueueResult,
  type ReconcileClient,
  type ReconcileClientOptions,
} from './reconcile-client';
export type { ClusterReconcileContext, ReconcileClusterFn } from './cluster-processor';
export { startReconcileWorker, type ReconcileWorker, type ReconcileWorkerOptions } from './reconcile-worker';
