import type { ClusterOutcome } from '@ecs-state/domain';
import type { ReconcileRunState } from '@ecs-state/reconcile-jobs';
import { z } from 'zod';

// Type-only imports: the values would load the Redis client, which the CLI has no use for.
const RUN_STATES = ['queued', 'running', 'completed', 'failed'] as const satisfies readonly ReconcileRunState[];
const CLUSTER_OUTCOMES = ['reconciled', 'removed', 'failed'] as const satisfies readonly ClusterOutcome[];

const countsSchema = z.looseObject({
  added: z.number(),
  updated: z.number(),
  deleted: z.number(),
  unchanged: z.number(),
});

const clusterReportSchema = z.looseObject({
  cluster: z.string(),
  outcome: z.enum(CLUSTER_OUTCOMES),
  tasks: countsSchema,
  instances: countsSchema,
  /** Absent from reports written before services were reconciled. */
  services: countsSchema.optional(),
  errors: z.array(z.string()),
});
export type ClusterReport = z.infer<typeof clusterReportSchema>;

/**
 * What the CLI reads of `GET /v1/reconcile/{id}` (the `ReconcileRunView` of
 * @ecs-state/reconcile-jobs); other fields are kept for printing.
 */
export const runViewSchema = z.looseObject({
  id: z.string(),
  state: z.enum(RUN_STATES),
  requestedClusters: z.array(z.string()).nullable(),
  plannedClusters: z.number().int().nullable(),
  report: z
    .looseObject({
      clusters: z.array(clusterReportSchema),
      totals: z.looseObject({ clusters: z.number().int(), failedClusters: z.number().int() }),
    })
    .nullable(),
  error: z.string().nullable(),
});
export type RunView = z.infer<typeof runViewSchema>;

/** The answer to `POST /v1/reconcile`. */
export const runRequestedSchema = z.object({ id: z.string(), coalesced: z.boolean() });
export type RunRequested = z.infer<typeof runRequestedSchema>;
