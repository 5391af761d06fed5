/** Redis key prefix of every BullMQ key of the reconciler unless RECONCILE_QUEUE_PREFIX says otherwise. */
export const DEFAULT_QUEUE_PREFIX = 'ecs-state';

/**
 * Queue names. A run (one per trigger) lives in `runs`; it fans out one job per
 * cluster into `clusters`, so that every replica's worker can take a share.
 */
export const QUEUE_NAMES = {
  runs: 'reconcile-runs',
  clusters: 'reconcile-clusters',
} as const;

/** Job names within the queues. */
export const JOB_NAMES = {
  /** A reconcile run: plans the clusters, fans out, then collects the report. */
  run: 'run',
  /** Produced by the job scheduler; turns into a run (coalesced with an active one). */
  tick: 'tick',
  /** One cluster's reconcile, a child of a run. */
  cluster: 'cluster',
} as const;

/** Id of the BullMQ job scheduler that produces the periodic ticks. */
export const SCHEDULER_ID = 'reconcile-interval';
