import { runService, startCloudWatchMetrics, withCloudWatchMetricsConfig } from '@ecs-state/service-runtime';
import { startApiService } from './api-service';
import { apiCloudWatchMetrics } from './cloudwatch-metrics';
import { loadApiConfig } from './config';

const loadConfig = withCloudWatchMetricsConfig(loadApiConfig);

runService({
  name: 'api',
  loadConfig,
  async start(config, logger) {
    const service = await startApiService(config.settings, config.etcd, logger);
    const cloudWatch = startCloudWatchMetrics(config.cloudWatch, 'api', apiCloudWatchMetrics(service.view), logger);
    return {
      // The last line goes out while the view still runs.
      async stop() {
        await cloudWatch?.stop();
        await service.stop();
      },
    };
  },
});
