import { RECONCILE_METRICS } from '@ecs-state/reconciliation';
import { counterIncrease, type EmfMetric } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';

/** What the reconciler publishes to CloudWatch (CLOUDWATCH_METRICS_NAMESPACE) for the template's alarms. */
export function reconcilerCloudWatchMetrics(registry: Registry): EmfMetric[] {
  const failedClusters = counterIncrease(registry, [RECONCILE_METRICS.clusters], { outcome: 'failed' });
  const planFailures = counterIncrease(registry, [RECONCILE_METRICS.planFailures]);
  return [
    { name: 'ReconcileRunsCompleted', unit: 'Count', read: counterIncrease(registry, [RECONCILE_METRICS.runs], { outcome: 'completed' }) },
    // A cluster that failed every attempt, or a target whose clusters could not be listed.
    { name: 'ReconcileFailures', unit: 'Count', read: async () => ((await failedClusters()) ?? 0) + ((await planFailures()) ?? 0) },
  ];
}
