/** What a command reads and writes besides the API: the process's environment, streams and clock. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
  /** Characters per line of the terminal stdout is (`process.stdout.columns`); undefined when it is not one. */
  columns?: number;
  /** Ends a `--watch` (which otherwise runs until the process is stopped). */
  signal?: AbortSignal;
  /** Clock of the AGE columns (default Date.now). */
  now?: () => number;
  /** Poll period while waiting for a run (default 1 s). */
  pollMs?: number;
  /** Longest wait for one answer of the API (default 30 s). */
  requestTimeoutMs?: number;
  /** Items per list request (default 500). */
  pageSize?: number;
  /** How long a watch keeps trying to reach an API that went away (default 30 s), and how often (default 1 s). */
  reconnectMs?: number;
  retryMs?: number;
}
