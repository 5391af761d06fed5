import { emptyCounts, type ClusterDriftReport, type DriftCounts, type DriftReport } from '@ecs-state/domain';
import { targetOfCluster } from './cluster-target';

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
  return { cluster, target: targetOfCluster(cluster), outcome: 'failed', tasks: emptyCounts(), instances: emptyCounts(), services: emptyCounts(), ecsCalls: 0, durationMs: 0, errors: [error] };
}

function totalsOf(clusters: readonly ClusterDriftReport[]): DriftReport['totals'] {
  return {
    clusters: clusters.length,
    failedClusters: clusters.filter((c) => c.outcome === 'failed').length,
    tasks: clusters.reduce((sum, c) => addCounts(sum, c.tasks), emptyCounts()),
    instances: clusters.reduce((sum, c) => addCounts(sum, c.instances), emptyCounts()),
    // A cluster's report from before services were reconciled counts none.
    services: clusters.reduce((sum, c) => addCounts(sum, c.services ?? emptyCounts()), emptyCounts()),
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
