import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { emptyCounts, type ClusterDriftReport, type DriftCounts } from '@ecs-state/domain';

const CHANGES: readonly (keyof DriftCounts)[] = ['added', 'updated', 'deleted', 'unchanged'];

/** The reconciler's metric names. */
export const RECONCILE_METRICS = {
  records: 'ecs_state_reconcile_records_total',
  clusters: 'ecs_state_reconcile_clusters_total',
  ecsCalls: 'ecs_state_reconcile_ecs_requests_total',
  duration: 'ecs_state_reconcile_cluster_duration_seconds',
  lastDrift: 'ecs_state_reconcile_last_drift',
  planFailures: 'ecs_state_reconcile_plan_failures_total',
  runs: 'ecs_state_reconcile_runs_total',
  lastRun: 'ecs_state_reconcile_last_run_timestamp_seconds',
  lastRunFailedClusters: 'ecs_state_reconcile_last_run_failed_clusters',
} as const;

/** A cluster's part of a run, as reported: reconciled, removed or failed. */
export type ReportedCluster = Pick<ClusterDriftReport, 'cluster' | 'tasks' | 'instances' | 'services' | 'ecsCalls' | 'durationMs'> & {
  target: string;
  outcome: string;
};

export interface ReconcileMetrics {
  /** Records one cluster's reconcile (report of a finished one, or a failure). */
  recordCluster(report: ReportedCluster): void;
  /**
   * Records a finished run: its clusters' failures per target. `targets` are the targets
   * configured now, reset to 0 when the run had no failed cluster of theirs.
   */
  /** A target whose clusters could not be listed while planning a run. */
  recordPlanFailure(target: string): void;
  recordRun(outcome: 'completed' | 'failed', clusters: readonly Pick<ReportedCluster, 'outcome' | 'target'>[], targets?: readonly string[]): void;
}

/** The drift report as Prometheus metrics. */
export function createReconcileMetrics(registry: Registry): ReconcileMetrics {
  const records = new Counter({
    name: RECONCILE_METRICS.records,
    help: 'Records examined by reconciles, by target, kind and what the reconcile did to them',
    labelNames: ['target', 'kind', 'change'],
    registers: [registry],
  });
  const clusters = new Counter({
    name: RECONCILE_METRICS.clusters,
    help: 'Cluster reconciles finished, by target and outcome (reconciled, removed, failed)',
    labelNames: ['target', 'outcome'],
    registers: [registry],
  });
  const ecsCalls = new Counter({
    name: RECONCILE_METRICS.ecsCalls,
    help: 'ECS API requests made by reconciles, retries included, by target',
    labelNames: ['target'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: RECONCILE_METRICS.duration,
    help: 'Duration of one cluster reconcile, by target',
    labelNames: ['target'],
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const lastDrift = new Gauge({
    name: RECONCILE_METRICS.lastDrift,
    help: 'Records the last reconcile of a cluster added, updated or deleted (drift found)',
    labelNames: ['target', 'cluster', 'kind', 'change'],
    registers: [registry],
  });
  const planFailures = new Counter({
    name: RECONCILE_METRICS.planFailures,
    help: 'Runs whose planning could not list the clusters of a target (its stored clusters were planned instead)',
    labelNames: ['target'],
    registers: [registry],
  });
  const runs = new Counter({
    name: RECONCILE_METRICS.runs,
    help: 'Reconcile runs finished by this replica, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: RECONCILE_METRICS.lastRun,
    help: 'When this replica last finished a reconcile run',
    registers: [registry],
  });
  const lastRunFailedClusters = new Gauge({
    name: RECONCILE_METRICS.lastRunFailedClusters,
    help: 'Clusters that failed in the last run this replica finished, by target',
    labelNames: ['target'],
    registers: [registry],
  });
  return {
    recordCluster(report) {
      const { target } = report;
      clusters.inc({ target, outcome: report.outcome });
      ecsCalls.inc({ target }, report.ecsCalls);
      duration.observe({ target }, report.durationMs / 1000);
      const kinds = [['task', report.tasks], ['instance', report.instances], ['service', report.services ?? emptyCounts()]] as const;
      for (const [kind, counts] of kinds) {
        for (const change of CHANGES) {
          records.inc({ target, kind, change }, counts[change]);
          if (change !== 'unchanged') lastDrift.set({ target, cluster: report.cluster, kind, change }, counts[change]);
        }
      }
    },
    recordPlanFailure(target) {
      planFailures.inc({ target });
    },
    recordRun(outcome, reported, targets = []) {
      runs.inc({ outcome });
      lastRun.setToCurrentTime();
      const failed = new Map<string, number>(targets.map((t) => [t, 0]));
      for (const { target, outcome: clusterOutcome } of reported) {
        failed.set(target, (failed.get(target) ?? 0) + (clusterOutcome === 'failed' ? 1 : 0));
      }
      for (const [target, count] of failed) lastRunFailedClusters.set({ target }, count);
    },
  };
}
