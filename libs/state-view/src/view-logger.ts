export interface ViewLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export const NOOP_LOGGER: ViewLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** What a log line says of a caught value, which need not be an Error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
