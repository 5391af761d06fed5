import { clusterRefMatches, parseClusterArn, parseClusterRef } from '@ecs-state/domain';
import type { ClusterReport } from './run-view';

/**
 * The requested clusters (names or ARNs) that neither ECS nor the store knows. The
 * reconciler plans no cluster for a name nobody knows, so it is absent from the report;
 * an unknown ARN is planned and comes back `removed` with nothing deleted or kept.
 */
export function unknownClusters(requested: readonly string[], reports: readonly ClusterReport[]): string[] {
  return requested.filter((name) => {
    const ref = parseClusterRef(name);
    if (!ref.ok) return true;
    const matching = reports.filter((report) => {
      const arn = parseClusterArn(report.cluster);
      return arn.ok && clusterRefMatches(ref.value, arn.value);
    });
    return matching.every(isEmptyRemoval);
  });
}

function isEmptyRemoval(report: ClusterReport): boolean {
  if (report.outcome !== 'removed') return false;
  return [report.tasks, report.instances, ...(report.services === undefined ? [] : [report.services])].every((c) => c.added + c.updated + c.deleted + c.unchanged === 0);
}
