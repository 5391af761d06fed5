import { createReconcileMetrics } from '@ecs-state/reconciliation';
import { createMetricsRegistry } from '@ecs-state/service-runtime';
import { reconcilerCloudWatchMetrics } from './cloudwatch-metrics';

const cluster = { cluster: 'web', target: 'aws/us-east-1/123456789012', ecsCalls: 2, durationMs: 10 };
const none = { added: 0, updated: 0, deleted: 0, unchanged: 0 };

describe("the reconciler's CloudWatch metrics", () => {
  it('count completed runs, and failed clusters with targets that could not be planned, since the previous line', async () => {
    const registry = createMetricsRegistry('reconciler');
    const metrics = createReconcileMetrics(registry);
    const [completed, failures] = reconcilerCloudWatchMetrics(registry);
    expect([completed?.name, failures?.name]).toEqual(['ReconcileRunsCompleted', 'ReconcileFailures']);
    expect(await completed?.read()).toBe(0);

    metrics.recordCluster({ ...cluster, tasks: none, instances: none, outcome: 'reconciled' });
    metrics.recordCluster({ ...cluster, cluster: 'batch', tasks: none, instances: none, outcome: 'failed' });
    metrics.recordPlanFailure(cluster.target);
    metrics.recordRun('completed', [{ target: cluster.target, outcome: 'failed' }]);
    metrics.recordRun('failed', []);
    expect(await completed?.read()).toBe(1);
    expect(await failures?.read()).toBe(2);

    metrics.recordRun('completed', [{ target: cluster.target, outcome: 'reconciled' }]);
    expect(await completed?.read()).toBe(1);
    expect(await failures?.read()).toBe(0);
  });
});
