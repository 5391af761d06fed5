import type { ApiView } from '@ecs-state/rest-api';
import type { EmfMetric } from '@ecs-state/service-runtime';

/** What the api publishes to CloudWatch (CLOUDWATCH_METRICS_NAMESPACE) for the template's alarms. */
export function apiCloudWatchMetrics(view: Pick<ApiView, 'status'>): EmfMetric[] {
  return [
    {
      name: 'ApiViewStalenessSeconds',
      unit: 'Seconds',
      // Unknown before the first probe of etcd: nothing rather than a made-up figure.
      read: async () => {
        const ms = view.status().stalenessMs;
        return Number.isFinite(ms) ? ms / 1000 : undefined;
      },
    },
  ];
}
