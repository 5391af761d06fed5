import { z } from 'zod';
import { targetOfCluster } from './cluster-target';

/** How the stored records of one kind changed to match ECS. */
export const driftCountsSchema = z.object({
  /** Present in ECS, absent from the store: written. */
  added: z.number().int().nonnegative(),
  /** Stored, but ECS had a newer version: rewritten. */
  updated: z.number().int().nonnegative(),
  /** Stored, but ECS no longer has it: deleted. */
  deleted: z.number().int().nonnegative(),
  /** Stored and equal to (or newer than) what ECS reports: left alone. */
  unchanged: z.number().int().nonnegative(),
});
export type DriftCounts = z.infer<typeof driftCountsSchema>;

export const CLUSTER_OUTCOMES = ['reconciled', 'removed', 'failed'] as const;
/**
 * `reconciled`: the cluster exists in ECS and the store now matches it;
 * `removed`: the cluster no longer exists in ECS and its records were deleted;
 * `failed`: the reconcile failed after every retry (see `errors`).
 */
export type ClusterOutcome = (typeof CLUSTER_OUTCOMES)[number];

/** One cluster's part of a drift report; the result of a `cluster` job. */
export const clusterDriftReportSchema = z.object({
  /** Cluster ARN. */
  cluster: z.string(),
  /**
   * The target (account and region) the cluster was reconciled in: `<partition>/<region>/<account>`.
   * Absent only from reports written before targets were reported.
   */
  target: z.string().optional(),
  outcome: z.enum(CLUSTER_OUTCOMES),
  tasks: driftCountsSchema,
  instances: driftCountsSchema,
  /** ECS API requests made (each retry of a throttled request counts once more). */
  ecsCalls: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Records ECS returned that could not be normalized, and the failure of a failed reconcile. */
  errors: z.array(z.string()),
});
export type ClusterDriftReport = z.infer<typeof clusterDriftReportSchema>;

const totalsSchema = z.object({
  clusters: z.number().int().nonnegative(),
  failedClusters: z.number().int().nonnegative(),
  tasks: driftCountsSchema,
  instances: driftCountsSchema,
  ecsCalls: z.number().int().nonnegative(),
});

/** The result of a `run` job. */
export const driftReportSchema = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  clusters: z.array(clusterDriftReportSchema),
  totals: totalsSchema,
  /** The totals of each target the run's clusters belong to, by target. Absent from reports written before. */
  targets: z.array(totalsSchema.extend({ target: z.string() })).optional(),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

export function emptyCounts(): DriftCounts {
  return { added: 0, updated: 0, deleted: 0, unchanged: 0 };
}

function addCounts(a: DriftCounts, b: DriftCounts): DriftCounts {
  return {
    added: a.added + b.added,
    updated: a.updated + b.updated,
    deleted: a.deleted + b.deleted,
    unchanged: a.unchanged + b.unchanged,
  };
}

/**
 * The target of a cluster as its report names it; for a report without one, the
 * partition, region and account of its ARN (the target reconciles exactly those).
 */
export function clusterTarget(report: Pick<ClusterDriftReport, 'cluster' | 'target'>): string {
  return report.target ?? targetOfCluster(report.cluster);
}

/** A failed cluster's report: nothing is known of what it changed before failing. */
export function failedClusterReport(cluster: string, error: string): ClusterDriftReport {
  return { cluster, target: targetOfCluster(cluster), outcome: 'failed', tasks: emptyCounts(), instances: emptyCounts(), ecsCalls: 0, durationMs: 0, errors: [error] };
}

function totalsOf(clusters: readonly ClusterDriftReport[]): z.infer<typeof totalsSchema> {
  return {
    clusters: clusters.length,
    failedClusters: clusters.filter((c) => c.outcome === 'failed').length,
    tasks: clusters.reduce((sum, c) => addCounts(sum, c.tasks), emptyCounts()),
    instances: clusters.reduce((sum, c) => addCounts(sum, c.instances), emptyCounts()),
    ecsCalls: clusters.reduce((sum, c) => sum + c.ecsCalls, 0),
  };
}

export function buildDriftReport(runId: string, startedAt: string, finishedAt: string, clusters: ClusterDriftReport[]): DriftReport {
  const sorted = [...clusters].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  const byTarget = new Map<string, ClusterDriftReport[]>();
  for (const c of sorted) {
    const target = clusterTarget(c);
    byTarget.set(target, [...(byTarget.get(target) ?? []), c]);
  }
  return {
    runId,
    startedAt,
    finishedAt,
    clusters: sorted,
    totals: totalsOf(sorted),
    targets: [...byTarget.keys()].sort().map((target) => ({ target, ...totalsOf(byTarget.get(target) ?? []) })),
  };
}
