import { clusterDriftReportSchema, driftReportSchema, emptyCounts, type ClusterDriftReport } from '@ecs-state/domain';
import { buildDriftReport, failedClusterReport } from './drift-report';

const A = 'arn:aws:ecs:us-east-1:111111111111:cluster/web';
const B = 'arn:aws:ecs:eu-west-1:222222222222:cluster/web';

function reconciled(cluster: string, target: string, added: number): ClusterDriftReport {
  return { cluster, target, outcome: 'reconciled', tasks: { ...emptyCounts(), added }, instances: emptyCounts(), services: { ...emptyCounts(), deleted: added }, ecsCalls: 5, durationMs: 10, errors: [] };
}

describe('drift reports name their targets', () => {
  it('gives a failed cluster the target its ARN names', () => {
    expect(failedClusterReport(B, 'AccessDenied')).toMatchObject({ cluster: B, target: 'aws/eu-west-1/222222222222', outcome: 'failed' });
  });

  it('totals each target apart, beside the run totals', () => {
    const report = buildDriftReport('run', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', [
      reconciled(B, 'aws/eu-west-1/222222222222', 2),
      reconciled(A, 'aws/us-east-1/111111111111', 3),
      failedClusterReport('arn:aws:ecs:us-east-1:111111111111:cluster/batch', 'throttled'),
    ]);

    expect(report.totals).toMatchObject({ clusters: 3, failedClusters: 1, ecsCalls: 10, tasks: { added: 5 }, services: { deleted: 5 } });
    expect(report.targets).toEqual([
      { target: 'aws/eu-west-1/222222222222', clusters: 1, failedClusters: 0, tasks: { ...emptyCounts(), added: 2 }, instances: emptyCounts(), services: { ...emptyCounts(), deleted: 2 }, ecsCalls: 5 },
      { target: 'aws/us-east-1/111111111111', clusters: 2, failedClusters: 1, tasks: { ...emptyCounts(), added: 3 }, instances: emptyCounts(), services: { ...emptyCounts(), deleted: 3 }, ecsCalls: 5 },
    ]);
    expect(driftReportSchema.parse(report)).toEqual(report);
  });

  it('still reads reports written without targets', () => {
    const old = { cluster: A, outcome: 'removed', tasks: emptyCounts(), instances: emptyCounts(), ecsCalls: 1, durationMs: 3, errors: [] };
    expect(clusterDriftReportSchema.parse(old)).toEqual(old);
    const report = buildDriftReport('run', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', [clusterDriftReportSchema.parse(old)]);
    expect(report.targets?.map((t) => t.target)).toEqual(['aws/us-east-1/111111111111']);
    // Written before services were reconciled: it counts none.
    expect(report.totals.services).toEqual(emptyCounts());
  });
});
