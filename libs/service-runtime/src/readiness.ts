/** A named readiness condition; `check` resolves false or throws (its message is the reason) when not ready. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

export interface ReadinessCheckResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why not, when not ok. */
  readonly reason?: string;
}

/** The body of every service's `/readyz` (the api's main port adds its view's figures). */
export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheckResult[];
}

/** The JSON schema of a ReadinessReport, for routes that declare their responses. */
export const READINESS_REPORT_SCHEMA_PROPERTIES = {
  ready: { type: 'boolean' },
  checks: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'ok'],
      properties: { name: { type: 'string' }, ok: { type: 'boolean' }, reason: { type: 'string' } },
    },
  },
} as const;

async function runCheck(c: ReadinessCheck, timeoutMs: number | undefined): Promise<ReadinessCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout =
      timeoutMs === undefined
        ? []
        : [
            new Promise<boolean>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
            }),
          ];
    const ok = await Promise.race([c.check(), ...timeout]);
    return ok ? { name: c.name, ok } : { name: c.name, ok, reason: 'not ready' };
  } catch (err) {
    return { name: c.name, ok: false, reason: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs every check at once. A check that has not settled within `timeoutMs` (when given) fails
 * with that reason; without it, each check must bound its own wait. Once shutdown has started
 * the service is not ready, whatever its dependencies say, so that load balancers drain it.
 */
export async function runReadinessChecks(checks: readonly ReadinessCheck[], options: { timeoutMs?: number; shuttingDown?: boolean } = {}): Promise<ReadinessReport> {
  const results = await Promise.all(checks.map((c) => runCheck(c, options.timeoutMs)));
  const all = options.shuttingDown ? [...results, { name: 'shutdown', ok: false, reason: 'shutting down' }] : results;
  return { ready: all.every((c) => c.ok), checks: all };
}
