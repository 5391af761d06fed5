import { loadEtcdConfig, type EtcdConfig } from '@ecs-state/etcd-store';
import { reconcileQueuePrefixSetting } from '@ecs-state/reconcile-jobs';
import { envField, loadConfigParts, parseEnv } from '@ecs-state/service-runtime';
import { z } from 'zod';

/**
 * An absolute http(s) URL with no query or fragment, kept without its trailing
 * slash: generated clients append paths that begin with one.
 */
const publicUrl = z
  .string()
  .refine((value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  }, 'must be an absolute http(s) URL without credentials, query or fragment, e.g. https://ecs-state.example.com')
  .transform((value) => value.replace(/\/+$/, ''));

/** The api's own settings; etcd settings come from loadEtcdConfig (ETCD_*). */
export const apiEnvSchema = z.object({
  PORT: envField.port(3000),
  // Unset: no second listener. Its /metrics needs no token, so it belongs on a port only
  // the VPC reaches, never behind the public load balancer.
  METRICS_PORT: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0, 'must be at least 0').max(65535, 'must be at most 65535'))
    .optional(),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: envField.logLevel(),
  API_TOKENS: envField.list().optional(),
  API_PUBLIC_DOCS: envField.boolean(false),
  API_PUBLIC_URL: publicUrl.optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  RECONCILE_QUEUE_PREFIX: reconcileQueuePrefixSetting,
  API_REDIS_TIMEOUT_MS: envField.integer(2_000, 50, 60_000),
  API_REQUEST_TIMEOUT_MS: envField.integer(30_000, 1_000, 600_000),
  API_LIST_STALL_TIMEOUT_MS: envField.integer(60_000, 1_000, 3_600_000),
  // Gone: a list without `limit` returns every item. Refused rather than ignored, so that a
  // deployment that relied on it to cap responses finds out at start.
  API_LIST_DEFAULT_LIMIT: z.undefined({ error: 'no longer supported: a list without limit returns every item; remove it' }),
  API_LIST_MAX_LIMIT: envField.integer(10_000, 1, 100_000),
  API_STREAM_HEARTBEAT_MS: envField.integer(15_000, 100, 600_000),
  API_STREAM_MAX_BUFFER_BYTES: envField.integer(1024 * 1024, 1024, 256 * 1024 * 1024),
  API_STREAM_MAX_CLIENTS: envField.integer(10_000, 1, 1_000_000),
  VIEW_HISTORY_SIZE: envField.integer(10_000, 1, 10_000_000),
  VIEW_PROBE_INTERVAL_MS: envField.integer(1_000, 50, 60_000),
  VIEW_MAX_STALENESS_MS: envField.integer(5_000, 100, 600_000),
  SHUTDOWN_TIMEOUT_MS: envField.integer(10_000, 100, 600_000),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;

export function loadApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parseEnv(apiEnvSchema, env);
}

export interface ApiConfig {
  settings: ApiEnv;
  etcd: EtcdConfig;
}

/** Reads and validates everything at once, so one error lists every problem. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return loadConfigParts({ settings: () => loadApiEnv(env), etcd: () => loadEtcdConfig(env) });
}
