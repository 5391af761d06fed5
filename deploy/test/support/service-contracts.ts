import { loadEtcdConfig } from '@ecs-state/etcd-store';
import { loadCloudWatchMetricsConfig } from '@ecs-state/service-runtime';
import { recordingEnv } from './env-recorder';
import { loadWorkspaceFunction } from './workspace-module';

export type ServiceName = 'ingestor' | 'api' | 'reconciler' | 'ecs-sim';

/** What a service's own start-up code makes of its environment and arguments. */
export interface LoadedService {
  /** Port of /healthz (the ops port; the HTTP port for the api). */
  healthPort: number;
  /** Port of the unauthenticated /metrics (the ops port; the api's METRICS_PORT when set). */
  metricsPort?: number;
  /** The api: whether /docs and /docs/json answer without a token. */
  publicDocs?: boolean;
  /** The simulator's parsed options, for wiring checks. */
  simulator?: { host: string; port: number; publicUrl?: string; eventQueue: string | null; workloadClusters: number; eventDropRate: number };
}

export interface ServiceContract {
  name: ServiceName;
  /** Nx project root, built to dist/<root>/main.js. */
  projectRoot: string;
  /** Loads the configuration as the service's main.ts does; throws when it is invalid. */
  load(env: NodeJS.ProcessEnv, args: readonly string[]): Promise<LoadedService>;
  /** Variables read by the runtime or a library (the AWS SDK) rather than by the service's loader. */
  externalVariables: readonly string[];
}

const NODE_RUNTIME = ['NODE_ENV', 'NODE_OPTIONS'];
// The AWS SDK's standard variables (region and endpoint are also validated by the loaders).
const AWS_SDK = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'];

type EnvLoader = (env: NodeJS.ProcessEnv) => unknown;

function field(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function numberAt(value: unknown, path: readonly string[]): number {
  const found = field(value, path);
  if (typeof found !== 'number') throw new Error(`expected a number at ${path.join('.')}`);
  return found;
}

export const CONTRACTS: Record<ServiceName, ServiceContract> = {
  ingestor: {
    name: 'ingestor',
    projectRoot: 'apps/ingestor',
    externalVariables: [...NODE_RUNTIME, ...AWS_SDK, 'AWS_ENDPOINT_URL_SQS'],
    async load(env) {
      const load = await loadWorkspaceFunction<EnvLoader>('apps/ingestor/src/config.ts', 'loadIngestorConfig');
      // As apps/ingestor/src/main.ts: its own settings, then those of the CloudWatch metrics.
      const port = numberAt(load(env), ['settings', 'METRICS_PORT']);
      loadCloudWatchMetricsConfig(env);
      return { healthPort: port, metricsPort: port };
    },
  },
  reconciler: {
    name: 'reconciler',
    projectRoot: 'apps/reconciler',
    externalVariables: [...NODE_RUNTIME, ...AWS_SDK],
    async load(env) {
      const load = await loadWorkspaceFunction<EnvLoader>('apps/reconciler/src/config.ts', 'loadReconcilerConfig');
      const port = numberAt(load(env), ['settings', 'METRICS_PORT']);
      loadCloudWatchMetricsConfig(env);
      return { healthPort: port, metricsPort: port };
    },
  },
  api: {
    name: 'api',
    projectRoot: 'apps/api',
    externalVariables: NODE_RUNTIME,
    async load(env) {
      // As apps/api/src/main.ts: its own settings, then the etcd and CloudWatch metrics settings.
      const load = await loadWorkspaceFunction<EnvLoader>('apps/api/src/config.ts', 'loadApiEnv');
      const settings = load(env);
      loadEtcdConfig(env);
      loadCloudWatchMetricsConfig(env);
      const metricsPort = field(settings, ['METRICS_PORT']);
      return {
        healthPort: numberAt(settings, ['PORT']),
        ...(typeof metricsPort === 'number' ? { metricsPort } : {}),
        publicDocs: field(settings, ['API_PUBLIC_DOCS']) === true,
      };
    },
  },
  'ecs-sim': {
    name: 'ecs-sim',
    projectRoot: 'tools/ecs-sim',
    externalVariables: NODE_RUNTIME,
    async load(env, args) {
      type ParseCli = (argv: readonly string[], env: NodeJS.ProcessEnv) => unknown;
      const parse = await loadWorkspaceFunction<ParseCli>('tools/ecs-sim/src/server/cli-options.ts', 'parseCliOptions');
      const parsed = parse(args, env);
      const sim = field(parsed, ['simulator']);
      const host = field(sim, ['host']);
      const publicUrl = field(sim, ['publicUrl']);
      const eventQueue = field(sim, ['eventQueue']);
      if (typeof host !== 'string') throw new Error('simulator host missing');
      if (eventQueue !== null && typeof eventQueue !== 'string') throw new Error('simulator eventQueue invalid');
      const clusters = field(sim, ['workload', 'clusters']);
      const dropRate = field(sim, ['faults', 'events', 'dropRate']);
      const port = numberAt(sim, ['port']);
      return {
        healthPort: port,
        simulator: {
          host,
          port,
          ...(typeof publicUrl === 'string' ? { publicUrl } : {}),
          eventQueue,
          workloadClusters: typeof clusters === 'number' ? clusters : 0,
          eventDropRate: typeof dropRate === 'number' ? dropRate : 0,
        },
      };
    },
  },
};

/** Loads the service's configuration and notes every variable its loader looked up. */
export async function loadRecorded(
  contract: ServiceContract,
  env: NodeJS.ProcessEnv,
  args: readonly string[] = [],
): Promise<{ loaded: LoadedService; understood: Set<string> }> {
  const recorder = recordingEnv(env);
  const loaded = await contract.load(recorder.env, args);
  const understood = new Set([...recorder.read, ...contract.externalVariables]);
  return { loaded, understood };
}

/** Variables a service would be given that it never reads: each one is a wiring mistake. */
export function unreadVariables(given: Iterable<string>, understood: ReadonlySet<string>): string[] {
  return [...given].filter((name) => !understood.has(name)).sort();
}
