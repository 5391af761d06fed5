import { z } from 'zod';

/** What started a run. */
export const RECONCILE_TRIGGERS = ['schedule', 'manual', 'startup'] as const;
export type ReconcileTrigger = (typeof RECONCILE_TRIGGERS)[number];

/** Cluster names or ARNs as given by a caller; ECS accepts either. */
export const clusterListSchema = z.array(z.string().trim().min(1).max(2048)).max(1000);

/** Data of a `run` job. */
export const runJobDataSchema = z.object({
  trigger: z.enum(RECONCILE_TRIGGERS),
  /** null: every cluster ECS has, plus every cluster the store still has records of. */
  clusters: clusterListSchema.nullable(),
  requestedAt: z.iso.datetime(),
  /** Set once the children are created: each planned cluster and its child job id. */
  fanout: z.array(z.object({ cluster: z.string(), jobId: z.string() })).optional(),
  startedAt: z.iso.datetime().optional(),
});
export type RunJobData = z.infer<typeof runJobDataSchema>;

/** Data of a `cluster` job. */
export const clusterJobDataSchema = z.object({
  runId: z.string(),
  /** The cluster ARN as planned by the run. */
  cluster: z.string(),
  /** The target (`<partition>/<region>/<account>`) the cluster is reconciled in; absent from jobs of older runs. */
  target: z.string().optional(),
});
export type ClusterJobData = z.infer<typeof clusterJobDataSchema>;

/** Data of a `tick` job produced by the scheduler. */
export const tickJobDataSchema = z.object({ trigger: z.literal('schedule') });
export type TickJobData = z.infer<typeof tickJobDataSchema>;
