import { loadEtcdConfig } from '@ecs-state/etcd-store';
import { createLogger, handleShutdownSignals } from '@ecs-state/service-runtime';
import { startApiService } from './api-service';
import { loadApiEnv } from './config';

async function main(): Promise<void> {
  const env = loadApiEnv();
  const logger = createLogger('api', env.LOG_LEVEL);
  const service = await startApiService(env, loadEtcdConfig(process.env), logger);
  handleShutdownSignals({ logger, deadlineMs: env.SHUTDOWN_DEADLINE_MS, stop: () => service.stop() });
}

main().catch((error: unknown) => {
  // The logger may not exist yet (bad configuration): write one JSON line by hand.
  process.stderr.write(`${JSON.stringify({ level: 'error', service: 'api', message: error instanceof Error ? error.message : String(error) })}\n`);
  process.exit(1);
});
