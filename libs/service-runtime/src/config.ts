import { z } from 'zod';

/** Raised at start when a setting is missing or invalid; the message names each variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses environment variables with a zod object schema whose keys are the
 * variable names. All problems are reported at once, so an operator fixes a
 * task definition in one go rather than one restart per mistake.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    // An empty variable means "not set", as in most shells and task definitions.
    input[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(environment)';
        const given = issue.path.length > 0 ? input[String(issue.path[0])] : undefined;
        return given === undefined ? `${name}: ${issue.message}` : `${name}=${JSON.stringify(given)}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

/** Reusable field parsers for environment variables. */
export const envField = {
  integer(defaultValue: number, min: number, max: number) {
    return z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
      .default(defaultValue);
  },
  port(defaultValue: number) {
    return envField.integer(defaultValue, 0, 65535);
  },
  boolean(defaultValue: boolean) {
    return z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(defaultValue);
  },
  logLevel() {
    return z.enum(['error', 'warn', 'info', 'debug'], { error: 'must be one of error, warn, info, debug' }).default('info');
  },
  list() {
    return z.string().transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
  },
};

/**
 * Runs several configuration loaders (this service's settings, the etcd
 * settings, …) and reports the problems of all of them in one ConfigError,
 * so that one failed start names everything to fix. A loader signals a bad
 * setting by throwing; a ConfigError contributes each of its problems.
 */
export function loadConfigParts<T extends Record<string, () => unknown>>(loaders: T): { [K in keyof T]: ReturnType<T[K]> } {
  const problems: string[] = [];
  const parts: Partial<Record<keyof T, unknown>> = {};
  for (const key of Object.keys(loaders) as (keyof T)[]) {
    try {
      parts[key] = loaders[key]!();
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return parts as { [K in keyof T]: ReturnType<T[K]> };
}
