import {
  ConfigError,
  createLogger,
  createMetricsRegistry,
  handleShutdownSignals,
  loadCloudWatchMetricsConfig,
  loadConfigParts,
  startCloudWatchMetrics,
} from '@ecs-state/service-runtime';
import { reconcilerCloudWatchMetrics } from './cloudwatch-metrics';
import { loadReconcilerConfig } from './config';
import { startReconcilerService } from './service';

async function main(): Promise<void> {
  let config, cloudWatchConfig;
  try {
    ({ config, cloudWatchConfig } = loadConfigParts({ config: () => loadReconcilerConfig(), cloudWatchConfig: () => loadCloudWatchMetricsConfig(process.env) }));
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger('reconciler', config.settings.LOG_LEVEL);
  const registry = createMetricsRegistry('reconciler');
  const service = await startReconcilerService({ config, logger, registry });
  const cloudWatch = startCloudWatchMetrics(cloudWatchConfig, 'reconciler', reconcilerCloudWatchMetrics(registry), logger);
  handleShutdownSignals({
    logger,
    // The worker lets its active cluster reconciles finish; a job still running at the
    // deadline is released by its lock expiring and picked up by another replica.
    deadlineMs: config.settings.SHUTDOWN_TIMEOUT_MS,
    // The last line counts the runs finished while draining.
    stop: async () => {
      await service.stop();
      await cloudWatch?.stop();
    },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`reconciler failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
