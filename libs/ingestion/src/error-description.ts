/** An error as a log line names it: its class and message, or its text when something else was thrown. */
export function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
