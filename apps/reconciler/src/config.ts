import { loadEtcdConfig, type EtcdConfig } from '@ecs-state/etcd-store';
import { partitionOfRegion } from '@ecs-state/domain';
import { reconcileQueuePrefixSetting } from '@ecs-state/reconcile-jobs';
import { DEFAULT_ECS_REQUEST_TIMEOUT_MS, parseReconcileTargets, type ReconcileTargetConfig } from '@ecs-state/reconciliation';
import { ConfigError, envField, loadConfigParts, parseEnv } from '@ecs-state/service-runtime';
import { z } from 'zod';
import { parseInterval } from './duration';

const interval = z
  .string()
  .transform((text, ctx) => {
    const value = parseInterval(text);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration like 20m, 90s, 1h or 1500ms, or off' });
      return z.NEVER;
    }
    return value;
  })
  .default(20 * 60_000);

const targets = z
  .string()
  .transform((text, ctx) => {
    const parsed = parseReconcileTargets(text);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return parsed.value;
  })
  .optional();

/**
 * The reconciler's environment. AWS credentials come through the SDK's standard
 * variables (AWS_PROFILE, AWS_ACCESS_KEY_ID, the task role, ...).
 */
const schema = z.object({
  REDIS_URL: z
    .string({ error: 'is required (redis://[user:password@]host:port[/db], rediss:// for TLS)' })
    .regex(/^rediss?:\/\/.+/, 'must start with redis:// or rediss://'),
  RECONCILE_QUEUE_PREFIX: reconcileQueuePrefixSetting,
  RECONCILE_INTERVAL: interval,
  RECONCILE_CONCURRENCY: envField.integer(2, 1, 64),
  RECONCILE_ON_EMPTY_STORE: envField.boolean(true),
  RECONCILE_CLUSTER_ATTEMPTS: envField.integer(3, 1, 20),
  RECONCILE_RETRY_BACKOFF_MS: envField.integer(10_000, 100, 3_600_000),
  RECONCILE_TARGETS: targets,
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region like us-east-1').optional(),
  AWS_ENDPOINT_URL_ECS: z.url({ error: 'must be a URL' }).optional(),
  ECS_REQUESTS_PER_SECOND: envField.integer(20, 1, 10_000),
  ECS_REQUEST_BURST: envField.integer(0, 0, 10_000),
  ECS_MAX_ATTEMPTS: envField.integer(8, 1, 30),
  ECS_REQUEST_TIMEOUT_MS: envField.integer(DEFAULT_ECS_REQUEST_TIMEOUT_MS, 100, 600_000),
  ECS_DESCRIBE_PARALLELISM: envField.integer(4, 1, 64),
  METRICS_PORT: envField.port(9102),
  SHUTDOWN_TIMEOUT_MS: envField.integer(60_000, 1000, 3_600_000),
  LOG_LEVEL: envField.logLevel(),
});

export type ReconcilerSettings = z.infer<typeof schema>;

export interface ReconcilerConfig {
  settings: ReconcilerSettings;
  etcd: EtcdConfig;
  /**
   * The accounts and regions to reconcile, each with its endpoint resolved: RECONCILE_TARGETS,
   * or else one target in AWS_REGION whose account ECS reveals.
   */
  targets: ReconcileTargetConfig[];
}

/** Reads and validates everything at once, so one error lists every problem. */
export function loadReconcilerConfig(env: NodeJS.ProcessEnv = process.env): ReconcilerConfig {
  const { settings, etcd } = loadConfigParts({
    settings: () => parseEnv(schema, env),
    etcd: () => loadEtcdConfig(env),
    region: () => requireRegionOrTargets(env),
  });
  return { settings, etcd, targets: resolveTargets(settings) };
}

/** Without a target list, the one target is the SDK's region. Empty means unset, as everywhere. */
function requireRegionOrTargets(env: NodeJS.ProcessEnv): void {
  if (!env['AWS_REGION'] && !env['RECONCILE_TARGETS']) {
    throw new ConfigError(['AWS_REGION: is required (the ECS region) unless RECONCILE_TARGETS lists the targets']);
  }
}

function resolveTargets(settings: ReconcilerSettings): ReconcileTargetConfig[] {
  const region = settings.AWS_REGION as string;
  const listed = settings.RECONCILE_TARGETS ?? [{ partition: partitionOfRegion(region), region }];
  const endpoint = settings.AWS_ENDPOINT_URL_ECS;
  return listed.map((target) => (target.endpoint !== undefined || endpoint === undefined ? target : { ...target, endpoint }));
}
