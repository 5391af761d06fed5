import type { Logger } from './logger';

/**
 * Runs `stop` once on SIGTERM (what ECS sends when it stops a task) or SIGINT,
 * then exits. If `stop` has not finished within the deadline the process exits
 * anyway with status 1: ECS would SIGKILL it soon after, and work still in
 * flight is safe because nothing is acknowledged before it is durable.
 */
export function handleShutdownSignals(options: {
  logger: Logger;
  deadlineMs: number;
  stop: (signal: NodeJS.Signals) => Promise<void>;
  exit?: (code: number) => void;
}): void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn('second signal during shutdown; exiting now', { signal });
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info('shutting down', { signal, deadlineMs: options.deadlineMs });
    const timer = setTimeout(() => {
      options.logger.error('shutdown deadline passed; exiting with work unfinished', { deadlineMs: options.deadlineMs });
      exit(1);
    }, options.deadlineMs);
    timer.unref();
    options.stop(signal).then(
      () => {
        clearTimeout(timer);
        options.logger.info('stopped cleanly');
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        options.logger.error('error during shutdown', { error: err instanceof Error ? err.message : String(err) });
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
