/** The CLI's exit statuses; scripts and one-off tasks branch on them, so they never change meaning. */
export const EXIT = {
  ok: 0,
  /** The run failed, a cluster in it failed or is unknown, or there is no such run; no such task or instance (`describe`). */
  runFailed: 1,
  /** Bad arguments or configuration, or a request the API rejected as invalid (4xx). */
  usage: 2,
  /** `--wait` ended before the run finished (the run goes on). */
  timedOut: 3,
  /** The API could not be used: unreachable, token refused (401, 403), or an error on its side. */
  api: 4,
} as const;
