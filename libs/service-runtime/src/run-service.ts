import { ConfigError } from './config';
import { createLogger, type LogLevel, type Logger } from './logger';
import { handleShutdownSignals } from './shutdown';

/** The settings every service has, whatever else it reads. */
export interface ServiceSettings {
  readonly LOG_LEVEL: LogLevel;
  /** How long a SIGTERM or SIGINT waits for stop() before the process exits 1. */
  readonly SHUTDOWN_TIMEOUT_MS: number;
}

export interface StartedService {
  /** Releases everything start() took; the process exits 0 once it resolves. */
  stop(): Promise<void>;
}

export interface ServiceDefinition<C extends { readonly settings: ServiceSettings }> {
  /** The `service` field of every log line, and the first word of the configuration message. */
  readonly name: string;
  /** Every configuration problem at once, as one ConfigError. */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => C;
  readonly start: (config: C, logger: Logger) => Promise<StartedService>;
  /** process.env unless given. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The exit statuses of every service, for orchestrators and for operators reading a failed task. */
export const EXIT_CODES = { badConfiguration: 2, failedStart: 1 } as const;

/**
 * Starts a service the way every app starts: exit 2 with every configuration problem on
 * stderr when the configuration is bad (restarting will not help), exit 1 with one JSON
 * log line when the start fails (it may, once a dependency is back), and once started,
 * stop() on SIGTERM or SIGINT within SHUTDOWN_TIMEOUT_MS.
 */
export function runService<C extends { readonly settings: ServiceSettings }>(definition: ServiceDefinition<C>): void {
  void start(definition).catch((error: unknown) => {
    // The logger may not exist yet (or LOG_LEVEL may silence errors): one JSON line by hand, as the logger writes them.
    const line = {
      level: 'error',
      service: definition.name,
      message: 'failed to start',
      error: error instanceof Error ? error.message : String(error),
      ...(error instanceof Error && error.stack !== undefined ? { stack: error.stack } : {}),
      timestamp: new Date().toISOString(),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(EXIT_CODES.failedStart);
  });
}

async function start<C extends { readonly settings: ServiceSettings }>(definition: ServiceDefinition<C>): Promise<void> {
  let config: C;
  try {
    config = definition.loadConfig(definition.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${definition.name}: ${error.message}\n`);
    process.exit(EXIT_CODES.badConfiguration);
  }
  const logger = createLogger(definition.name, config.settings.LOG_LEVEL);
  const service = await definition.start(config, logger);
  handleShutdownSignals({ logger, deadlineMs: config.settings.SHUTDOWN_TIMEOUT_MS, stop: () => service.stop() });
}
