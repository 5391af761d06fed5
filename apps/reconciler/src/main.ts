import { createMetricsRegistry, runService, startCloudWatchMetrics, withCloudWatchMetricsConfig } from '@ecs-state/service-runtime';
import { reconcilerCloudWatchMetrics } from './cloudwatch-metrics';
import { loadReconcilerConfig } from './config';
import { startReconcilerService } from './service';

const loadConfig = withCloudWatchMetricsConfig(loadReconcilerConfig);

runService({
  name: 'reconciler',
  loadConfig,
  async start(config, logger) {
    const registry = createMetricsRegistry('reconciler');
    const service = await startReconcilerService({ config, logger, registry });
    const cloudWatch = startCloudWatchMetrics(config.cloudWatch, 'reconciler', reconcilerCloudWatchMetrics(registry), logger);
    return {
      // The worker lets its active cluster reconciles finish; a job still running at the
      // deadline is released by its lock expiring and picked up by another replica.
      // The last line counts the runs finished while draining.
      async stop() {
        await service.stop();
        await cloudWatch?.stop();
      },
    };
  },
});
