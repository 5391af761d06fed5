export { RequestBudget } from './request-budget';
export { createEcsClient, type EcsClientOptions } from './ecs-client';
export { CountedEcs, ECS_PAGE_SIZE } from './counted-ecs';
export { readClusterFromEcs, type EcsClusterState } from './read-cluster';
export { normalizeEcsState, type NormalizedClusterState } from './normalize-ecs-state';
export { Reconciler, type ReconcileClusterOptions, type ReconcilerOptions } from './reconciler';
export { zeroCounts, type ClusterReconcileReport, type DriftCounts } from './drift-report';
export { createReconcileMetrics, type ReconcileMetrics } from './reconcile-metrics';
