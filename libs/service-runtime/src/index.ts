export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger';
export { ConfigError, envField, loadConfigParts, parseEnv } from './config';
export { createMetricsRegistry } from './metrics';
export { startOpsServer, type OpsServer, type ReadinessCheck } from './ops-server';
export { handleShutdownSignals } from './shutdown';
export { Backoff, sleep } from './backoff';
export { loadCloudWatchMetricsConfig, startCloudWatchMetrics, type CloudWatchMetricsConfig } from './cloudwatch-metrics-config';
export { startEmfPublisher, type EmfMetric, type EmfPublisher, type EmfPublisherOptions } from './emf-publisher';
export { counterIncrease, gaugeMax, type Reading } from './registry-readings';
