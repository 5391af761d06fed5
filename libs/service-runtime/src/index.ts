export { createLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger';
export { ConfigError, envField, loadConfigParts, parseEnv } from './config';
export { createMetricsRegistry } from './metrics';
export { startOpsServer, type OpsServer, type ReadinessCheck } from './ops-server';
export { handleShutdownSignals } from './shutdown';
export { Backoff, sleep } from './backoff';
