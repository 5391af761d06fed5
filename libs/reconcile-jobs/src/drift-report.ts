import { z } from 'zod';

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

/** The result of a `run` job. */
export const driftReportSchema = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  clusters: z.array(clusterDriftReportSchema),
  totals: z.object({
    clusters: z.number().int().nonnegative(),
    failedClusters: z.number().int().nonnegative(),
    tasks: driftCountsSchema,
    instances: driftCountsSchema,
    ecsCalls: z.number().int().nonnegative(),
  }),
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

/** A failed cluster's report: nothing is known of what it changed before failing. */
export function failedClusterReport(cluster: string, error: string): ClusterDriftReport {
  return { cluster, outcome: 'failed', tasks: emptyCounts(), instances: emptyCounts(), ecsCalls: 0, durationMs: 0, errors: [error] };
}

export function buildDriftReport(runId: string, startedAt: string, finishedAt: string, clusters: ClusterDriftReport[]): DriftReport {
  const sorted = [...clusters].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  return {
    runId,
    startedAt,
    finishedAt,
    clusters: sorted,
    totals: {
      clusters: sorted.length,
      failedClusters: sorted.filter((c) => c.outcome === 'failed').length,
      tasks: sorted.reduce((sum, c) => addCounts(sum, c.tasks), emptyCounts()),
      instances: sorted.reduce((sum, c) => addCounts(sum, c.instances), emptyCounts()),
      ecsCalls: sorted.reduce((sum, c) => sum + c.ecsCalls, 0),
    },
  };
}
