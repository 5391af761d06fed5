import { ConfigError, createLogger, handleShutdownSignals, loadCloudWatchMetricsConfig, loadConfigParts, startCloudWatchMetrics } from '@ecs-state/service-runtime';
import { ingestorCloudWatchMetrics } from './cloudwatch-metrics';
import { loadIngestorConfig } from './config';
import { startIngestorService } from './service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfigParts({ service: () => loadIngestorConfig(), cloudWatch: () => loadCloudWatchMetricsConfig(process.env) });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ingestor: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger('ingestor', config.service.settings.LOG_LEVEL);
  const startup = await startIngestorService(config.service, logger);
  const cloudWatch = startCloudWatchMetrics(config.cloudWatch, 'ingestor', ingestorCloudWatchMetrics(startup.registry), logger);
  handleShutdownSignals({
    logger,
    deadlineMs: config.service.settings.SHUTDOWN_TIMEOUT_MS,
    // The last line counts the errors of the drain too.
    stop: async () => {
      await startup.stop();
      await cloudWatch?.stop();
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`ingestor: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
