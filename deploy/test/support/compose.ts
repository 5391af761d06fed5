import { parse } from 'yaml';
import { z } from 'zod';
import { readRepoFile } from './repo';

/**
 * Compose's variable substitution: ${VAR}, ${VAR:-default} (unset or empty),
 * ${VAR-default} (unset only), ${VAR:?message}, ${VAR?message}, $VAR and $$.
 */
export function interpolate(text: string, hostEnv: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, operator: string | undefined, operand: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare ?? '';
    const value = hostEnv[name];
    const missing = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
    if (operator?.endsWith('-')) return missing ? (operand ?? '') : (value ?? '');
    if (operator?.endsWith('?') && missing) throw new Error(`${name}: ${operand ?? 'is required'}`);
    return value ?? '';
  });
}

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const serviceSchema = z.object({
  image: z.string().optional(),
  build: z.object({ context: z.string(), dockerfile: z.string() }).optional(),
  command: z.union([z.string(), z.array(scalar)]).optional(),
  entrypoint: z.union([z.string(), z.array(scalar)]).optional(),
  // null: passed through from the host environment.
  environment: z.record(z.string(), scalar.nullable()).optional(),
  ports: z.array(z.string()).optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  healthcheck: z.object({ test: z.array(z.string()) }).loose().optional(),
  restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
}).loose();
const composeSchema = z.object({ services: z.record(z.string(), serviceSchema) }).loose();

export type ComposeService = z.infer<typeof serviceSchema>;

export interface ResolvedService {
  raw: ComposeService;
  command: string[];
  /** The container's variables: compose's `environment`, host pass-throughs resolved. */
  environment: Record<string, string>;
  /** Container ports published. */
  containerPorts: number[];
}

export function readComposeFile(): { services: Record<string, ComposeService> } {
  return composeSchema.parse(parse(readRepoFile('docker-compose.yml'), { merge: true }));
}

/** The services as compose would run them with the given host environment. */
export function resolveCompose(hostEnv: Readonly<Record<string, string | undefined>>): Map<string, ResolvedService> {
  const file = readComposeFile();
  const services = new Map<string, ResolvedService>();
  for (const [name, raw] of Object.entries(file.services)) {
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.environment ?? {})) {
      if (value === null) {
        const passed = hostEnv[key];
        if (passed !== undefined) environment[key] = passed;
      } else {
        environment[key] = interpolate(String(value), hostEnv);
      }
    }
    const commandList = raw.command === undefined ? [] : typeof raw.command === 'string' ? raw.command.split(/\s+/) : raw.command.map(String);
    const command = commandList.map((part) => interpolate(part, hostEnv));
    const containerPorts = (raw.ports ?? []).map((mapping) => {
      const container = interpolate(mapping, hostEnv).split(':').at(-1);
      return Number(container);
    });
    services.set(name, { raw, command, environment, containerPorts });
  }
  return services;
}
