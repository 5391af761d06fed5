/** ECS caps List* pages and Describe* batches at 100. */
const PAGE = 100;
/** DescribeServices takes at most 10 services a call. */
const SERVICE_BATCH = 10;

export const DESIRED_STATUSES = ['RUNNING', 'PENDING', 'STOPPED'] as const;
export type DesiredStatus = (typeof DESIRED_STATUSES)[number];

/** What ECS holds for one cluster, as far as the number of calls to read it depends on it. */
export interface ClusterShape {
  readonly tasksByDesiredStatus: Readonly<Record<DesiredStatus, number>>;
  /** Container instances ListContainerInstances returns (every status but INACTIVE). */
  readonly instances: number;
  /** Services ListServices returns (ACTIVE and DRAINING). */
  readonly services: number;
}

export type EcsOperation =
  | 'ListClusters'
  | 'DescribeClusters'
  | 'ListContainerInstances'
  | 'DescribeContainerInstances'
  | 'ListTasks'
  | 'DescribeTasks'
  | 'ListServices'
  | 'DescribeServices';

export const ECS_OPERATIONS: readonly EcsOperation[] = [
  'ListClusters',
  'DescribeClusters',
  'ListContainerInstances',
  'DescribeContainerInstances',
  'ListTasks',
  'DescribeTasks',
  'ListServices',
  'DescribeServices',
];

export type CallCounts = Record<EcsOperation, number>;

export function zeroCalls(): CallCounts {
  return {
    ListClusters: 0,
    DescribeClusters: 0,
    ListContainerInstances: 0,
    DescribeContainerInstances: 0,
    ListTasks: 0,
    DescribeTasks: 0,
    ListServices: 0,
    DescribeServices: 0,
  };
}

export function totalCalls(counts: CallCounts): number {
  return ECS_OPERATIONS.reduce((sum, op) => sum + counts[op], 0);
}

/** Pages of a listing of n items: an empty listing still takes one call to learn that it is empty. */
export function listPages(n: number): number {
  return Math.max(1, Math.ceil(n / PAGE));
}

/** Describe calls for n identifiers, `batch` a call (100 unless given); none when there is nothing to describe. */
export function describeBatches(n: number, batch = PAGE): number {
  return Math.ceil(n / batch);
}

/**
 * The fewest calls that read one cluster the way the reconcile is specified
 * (list each desired status and the services, describe what was listed):
 * DescribeClusters once, every listing in full pages of 100, every describe in full
 * batches of 100 (of 10 for DescribeServices).
 */
export function minimumClusterCalls(shape: ClusterShape): CallCounts {
  const tasks = DESIRED_STATUSES.reduce((sum, s) => sum + shape.tasksByDesiredStatus[s], 0);
  return {
    ...zeroCalls(),
    DescribeClusters: 1,
    ListContainerInstances: listPages(shape.instances),
    DescribeContainerInstances: describeBatches(shape.instances),
    ListTasks: DESIRED_STATUSES.reduce((sum, s) => sum + listPages(shape.tasksByDesiredStatus[s]), 0),
    DescribeTasks: describeBatches(tasks),
    ListServices: listPages(shape.services),
    DescribeServices: describeBatches(shape.services, SERVICE_BATCH),
  };
}

/** A full run: ListClusters to plan it, then every cluster's minimum. */
export function minimumRunCalls(clusters: readonly ClusterShape[]): CallCounts {
  const total = zeroCalls();
  total.ListClusters = listPages(clusters.length);
  for (const cluster of clusters) {
    const one = minimumClusterCalls(cluster);
    for (const op of ECS_OPERATIONS) total[op] += one[op];
  }
  return total;
}
