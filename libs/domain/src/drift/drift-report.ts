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

/** One cluster's part of a drift report: what a reconcile of that cluster did. */
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
  /** Absent only from reports written before services were reconciled. */
  services: driftCountsSchema.optional(),
  /** ECS API requests made (each retry of a throttled request counts once more). */
  ecsCalls: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
  /** Records ECS returned that could not be normalized, and the failure of a failed reconcile. */
  errors: z.array(z.string()),
});
export type ClusterDriftReport = z.infer<typeof clusterDriftReportSchema>;

const driftTotalsSchema = z.object({
  clusters: z.number().int().nonnegative(),
  failedClusters: z.number().int().nonnegative(),
  tasks: driftCountsSchema,
  instances: driftCountsSchema,
  /** Absent only from reports written before services were reconciled. */
  services: driftCountsSchema.optional(),
  ecsCalls: z.number().int().nonnegative(),
});

/** A reconcile run's report: each cluster's part and their totals. */
export const driftReportSchema = z.object({
  runId: z.string(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  clusters: z.array(clusterDriftReportSchema),
  totals: driftTotalsSchema,
  /** The totals of each target the run's clusters belong to, by target. Absent from reports written before. */
  targets: z.array(driftTotalsSchema.extend({ target: z.string() })).optional(),
});
export type DriftReport = z.infer<typeof driftReportSchema>;

export function emptyCounts(): DriftCounts {
  return { added: 0, updated: 0, deleted: 0, unchanged: 0 };
}
