import { z } from 'zod';
import { envField, loadConfigParts, parseEnv } from './config';
import { startEmfPublisher, type EmfMetric, type EmfPublisher } from './emf-publisher';

/**
 * The settings of the CloudWatch embedded metric format lines, the same in every service.
 * No namespace: no lines (outside AWS, Prometheus reads /metrics).
 */
const schema = z.object({
  CLOUDWATCH_METRICS_NAMESPACE: z
    .string()
    .regex(/^(?!AWS\/)[A-Za-z0-9._\-/#: ]{1,255}$/, 'must be a CloudWatch namespace: 1-255 letters, digits and . _ - / # : or spaces, not starting with AWS/')
    .optional(),
  CLOUDWATCH_METRICS_INTERVAL_MS: envField.integer(60_000, 1_000, 3_600_000),
});

export interface CloudWatchMetricsConfig {
  readonly namespace?: string;
  readonly intervalMs: number;
}

export function loadCloudWatchMetricsConfig(env: NodeJS.ProcessEnv = process.env): CloudWatchMetricsConfig {
  const parsed = parseEnv(schema, env);
  return {
    intervalMs: parsed.CLOUDWATCH_METRICS_INTERVAL_MS,
    ...(parsed.CLOUDWATCH_METRICS_NAMESPACE === undefined ? {} : { namespace: parsed.CLOUDWATCH_METRICS_NAMESPACE }),
  };
}

/** Starts publishing the service's CloudWatch metrics when a namespace is configured. */
export function startCloudWatchMetrics(
  config: CloudWatchMetricsConfig,
  service: string,
  metrics: readonly EmfMetric[],
  logger: { warn(message: string, meta?: Record<string, unknown>): void },
): EmfPublisher | undefined {
  if (config.namespace === undefined) return undefined;
  return startEmfPublisher({
    namespace: config.namespace,
    service,
    metrics,
    intervalMs: config.intervalMs,
    onError: (error) => logger.warn('cloudwatch metrics not published', { error: error instanceof Error ? error.message : String(error) }),
  });
}

/** A service's configuration loader that also reads the CloudWatch settings, their problems listed with the others. */
export function withCloudWatchMetricsConfig<C extends object>(load: (env: NodeJS.ProcessEnv) => C): (env: NodeJS.ProcessEnv) => C & { cloudWatch: CloudWatchMetricsConfig } {
  return (env) => {
    const { service, cloudWatch } = loadConfigParts({ service: () => load(env), cloudWatch: () => loadCloudWatchMetricsConfig(env) });
    return { ...service, cloudWatch };
  };
}
