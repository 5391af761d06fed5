import { ConfigError, createLogger, handleShutdownSignals } from '@ecs-state/service-runtime';
import { loadIngestorConfig } from './config';
import { startIngestorService } from './service';

async function main(): Promise<void> {
  let config;
  try {
    config = loadIngestorConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`ingestor: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger('ingestor', config.settings.LOG_LEVEL);
  const startup = await startIngestorService(config, logger);
  handleShutdownSignals({ logger, deadlineMs: config.settings.SHUTDOWN_TIMEOUT_MS, stop: () => startup.stop() });
}

main().catch((err: unknown) => {
  process.stderr.write(`ingestor: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
