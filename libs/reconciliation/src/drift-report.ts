/** How the stored records of one kind changed to match ECS. */
export interface DriftCounts {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

/**
 * One cluster's reconcile. `reconciled`: ECS has the cluster and the store now
 * matches it; `removed`: ECS no longer has the cluster and its records were deleted.
 * Structurally the `ClusterDriftReport` that reconcile jobs store as their result.
 */
export interface ClusterReconcileReport {
  cluster: string;
  /** The target the cluster belongs to: `<partition>/<region>/<account>`. */
  target: string;
  outcome: 'reconciled' | 'removed';
  tasks: DriftCounts;
  instances: DriftCounts;
  ecsCalls: number;
  durationMs: number;
  errors: string[];
}

export function zeroCounts(): DriftCounts {
  return { added: 0, updated: 0, deleted: 0, unchanged: 0 };
}
