import { runService, startCloudWatchMetrics, withCloudWatchMetricsConfig } from '@ecs-state/service-runtime';
import { ingestorCloudWatchMetrics } from './cloudwatch-metrics';
import { loadIngestorConfig } from './config';
import { startIngestorService } from './service';

const loadConfig = withCloudWatchMetricsConfig(loadIngestorConfig);

runService({
  name: 'ingestor',
  loadConfig,
  async start(config, logger) {
    const service = await startIngestorService(config, logger);
    const cloudWatch = startCloudWatchMetrics(config.cloudWatch, 'ingestor', ingestorCloudWatchMetrics(service.registry), logger);
    return {
      // The last line counts the errors of the drain too.
      async stop() {
        await service.stop();
        await cloudWatch?.stop();
      },
    };
  },
});
