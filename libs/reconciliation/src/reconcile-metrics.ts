import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ClusterReconcileReport, DriftCounts } from './drift-report';

const CHANGES: readonly (keyof DriftCounts)[] = ['added', 'updated', 'deleted', 'unchanged'];

export interface ReconcileMetrics {
  /** Records one cluster's reconcile (report of a finished one, or a failure). */
  recordCluster(report: Pick<ClusterReconcileReport, 'cluster' | 'tasks' | 'instances' | 'ecsCalls' | 'durationMs'> & { outcome: string }): void;
  recordRun(outcome: 'completed' | 'failed', failedClusters: number): void;
}

/** The drift report as Prometheus metrics. */
export function createReconcileMetrics(registry: Registry): ReconcileMetrics {
  const records = new Counter({
    name: 'ecs_state_reconcile_records_total',
    help: 'Records examined by reconciles, by kind and by what the reconcile did to them',
    labelNames: ['kind', 'change'],
    registers: [registry],
  });
  const clusters = new Counter({
    name: 'ecs_state_reconcile_clusters_total',
    help: 'Cluster reconciles finished, by outcome (reconciled, removed, failed)',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const ecsCalls = new Counter({
    name: 'ecs_state_reconcile_ecs_requests_total',
    help: 'ECS API requests made by reconciles, retries included',
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ecs_state_reconcile_cluster_duration_seconds',
    help: 'Duration of one cluster reconcile',
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const lastDrift = new Gauge({
    name: 'ecs_state_reconcile_last_drift',
    help: 'Records the last reconcile of a cluster added, updated or deleted (drift found)',
    labelNames: ['cluster', 'kind', 'change'],
    registers: [registry],
  });
  const runs = new Counter({
    name: 'ecs_state_reconcile_runs_total',
    help: 'Reconcile runs finished by this replica, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const lastRun = new Gauge({
    name: 'ecs_state_reconcile_last_run_timestamp_seconds',
    help: 'When this replica last finished a reconcile run',
    registers: [registry],
  });
  const lastRunFailedClusters = new Gauge({
    name: 'ecs_state_reconcile_last_run_failed_clusters',
    help: 'Clusters that failed in the last run this replica finished',
    registers: [registry],
  });
  return {
    recordCluster(report) {
      clusters.inc({ outcome: report.outcome });
      ecsCalls.inc(report.ecsCalls);
      duration.observe(report.durationMs / 1000);
      for (const [kind, counts] of [['task', report.tasks], ['instance', report.instances]] as const) {
        for (const change of CHANGES) {
          records.inc({ kind, change }, counts[change]);
          if (change !== 'unchanged') lastDrift.set({ cluster: report.cluster, kind, change }, counts[change]);
        }
      }
    },
    recordRun(outcome, failedClusters) {
      runs.inc({ outcome });
      lastRun.setToCurrentTime();
      lastRunFailedClusters.set(failedClusters);
    },
  };
}
