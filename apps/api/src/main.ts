import { loadEtcdConfig, type EtcdConfig } from '@ecs-state/etcd-store';
import {
  ConfigError,
  createLogger,
  handleShutdownSignals,
  loadCloudWatchMetricsConfig,
  loadConfigParts,
  startCloudWatchMetrics,
  type CloudWatchMetricsConfig,
} from '@ecs-state/service-runtime';
import { startApiService } from './api-service';
import { apiCloudWatchMetrics } from './cloudwatch-metrics';
import { loadApiEnv, type ApiEnv } from './config';

/** Every configuration problem at once, as the other services report them. */
function loadConfig(): { env: ApiEnv; etcd: EtcdConfig; cloudWatch: CloudWatchMetricsConfig } {
  return loadConfigParts({ env: () => loadApiEnv(), etcd: () => loadEtcdConfig(process.env), cloudWatch: () => loadCloudWatchMetricsConfig(process.env) });
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`api: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger('api', config.env.LOG_LEVEL);
  const service = await startApiService(config.env, config.etcd, logger);
  const cloudWatch = startCloudWatchMetrics(config.cloudWatch, 'api', apiCloudWatchMetrics(service.view), logger);
  handleShutdownSignals({
    logger,
    deadlineMs: config.env.SHUTDOWN_TIMEOUT_MS,
    // The last line goes out while the view still runs.
    stop: async () => {
      await cloudWatch?.stop();
      await service.stop();
    },
  });
}

main().catch((error: unknown) => {
  // The logger may not exist yet: write one JSON line by hand.
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'api', message: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(1);
});
