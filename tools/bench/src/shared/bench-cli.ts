/** A `--name` option of a benchmark's command line that must be a positive integer. */
export function positiveIntegerOption(args: Readonly<Record<string, unknown>>, name: string): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** Progress lines on stderr, so that stdout carries only the results. */
export function benchLog(bench: string): (message: string) => void {
  return (message) => console.error(`[${bench} ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs a benchmark's `main`: a failure prints its stack and exits with 1, so a script or CI sees it. */
export function runBench(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
