import type { Readiness } from './child-service';
import type { StackConfig, StackMode } from './stack-config';

/** One service to run as `node --import tsx <entry> <args>` from the workspace root. */
export interface ServiceSpec {
  name: string;
  /** Workspace-relative TypeScript entry point. */
  entry: string;
  args: string[];
  /** Variables set on top of the stack's own environment (undefined removes one). */
  env: Record<string, string | undefined>;
  readiness: Readiness;
  /** A missing entry point is skipped with a notice instead of failing the stack. */
  optional?: boolean;
}

export const SIMULATOR_QUEUE = 'ecs-events';
/** With EVENT_SOURCE=kinesis: the simulator's event stream, and the queue that gets copies of records the ingestor rejects. */
export const SIMULATOR_STREAM = 'ecs-events';
const SIMULATOR_STREAM_SHARDS = 2;
const SIMULATOR_POISON_QUEUE = 'ecs-events-dlq';
const SIMULATOR_ACCOUNT = '000000000000';

// Read by the stack only; the services have their own names for these.
const STACK_ONLY_VARIABLES = [
  'API_PORT', 'API_HOST', 'SIM_PORT', 'INGESTOR_METRICS_PORT', 'RECONCILER_METRICS_PORT',
  'DEMO_CLUSTERS', 'DEMO_INSTANCES', 'DEMO_TASKS', 'DEMO_TASK_RATE', 'DEMO_EVENT_LOSS', 'DEMO_SEED',
  'LOCAL_STACK_RAW_LOGS', 'LOCAL_STACK_READY_TIMEOUT_MS', 'LOCAL_STACK_STOP_TIMEOUT_MS',
];

/** Where everything ended up once ports are chosen and etcd/Redis/the simulator run. */
export interface Wiring {
  etcdEndpoints: string;
  redisUrl: string;
  /** Simulator URL in simulator mode. */
  simulatorUrl: string | undefined;
  apiPort: number;
  ingestorMetricsPort: number;
  reconcilerMetricsPort: number;
  apiTokens: string[];
}

export function backingServiceSpec(kind: 'etcd' | 'redis'): ServiceSpec {
  return {
    name: kind,
    entry: 'tools/local-stack/src/backing-service.ts',
    args: [kind],
    env: {},
    readiness: { line: /^ready \S+$/ },
  };
}

type SimulatorMode = Extract<StackMode, { kind: 'simulator' }>;

export function simulatorSpec(mode: SimulatorMode, port: number): ServiceSpec {
  const args = [
    '--host', '127.0.0.1',
    '--port', String(port),
    '--region', mode.region,
    ...(mode.eventSource === 'kinesis'
      ? ['--event-queue', 'none', '--event-stream', `${SIMULATOR_STREAM}:${SIMULATOR_STREAM_SHARDS}`, '--queue', SIMULATOR_POISON_QUEUE]
      : ['--event-queue', SIMULATOR_QUEUE]),
    '--clusters', String(mode.clusters),
    '--instances-per-cluster', String(mode.instancesPerCluster),
    '--tasks-per-cluster', String(mode.tasksPerCluster),
    '--rate', String(mode.taskRate),
    '--drop-rate', String(mode.eventLoss),
  ];
  if (mode.seed !== undefined) args.push('--seed', String(mode.seed));
  return {
    name: 'ecs-sim',
    entry: 'tools/ecs-sim/src/main.ts',
    args,
    env: {},
    readiness: { http: `http://127.0.0.1:${port}/_sim/health` },
  };
}

/** Loopback address to reach a server listening on `host`. */
export function probeHost(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

/** The AWS part of every app's environment. */
function awsEnv(mode: StackMode, simulatorUrl: string | undefined): Record<string, string | undefined> {
  if (mode.kind === 'aws') return { AWS_REGION: mode.region, ...mode.queue };
  if (!simulatorUrl) throw new Error('simulator mode needs the simulator URL');
  return {
    AWS_REGION: mode.region,
    AWS_ENDPOINT_URL: simulatorUrl,
    AWS_ENDPOINT_URL_SQS: simulatorUrl,
    AWS_ENDPOINT_URL_ECS: simulatorUrl,
    // The simulator checks no signature, but the SDK wants credentials; a profile or
    // session token from the shell must not be mixed into them.
    AWS_ACCESS_KEY_ID: 'local-stack',
    AWS_SECRET_ACCESS_KEY: 'local-stack',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    QUEUE_URL: undefined,
    QUEUE_NAME: SIMULATOR_QUEUE,
  };
}

/** The ingestor's source on the simulator: its queue, or its stream with a poison queue. */
function simulatorSource(mode: StackMode, simulatorUrl: string | undefined): Record<string, string | undefined> {
  if (mode.kind !== 'simulator' || mode.eventSource !== 'kinesis' || !simulatorUrl) return {};
  return {
    EVENT_SOURCE: 'kinesis',
    QUEUE_NAME: undefined,
    KINESIS_STREAM_NAME: SIMULATOR_STREAM,
    KINESIS_POISON_QUEUE_URL: `${simulatorUrl}/${SIMULATOR_ACCOUNT}/${SIMULATOR_POISON_QUEUE}`,
    AWS_ENDPOINT_URL_KINESIS: simulatorUrl,
  };
}

export function appSpecs(config: StackConfig, wiring: Wiring): ServiceSpec[] {
  const store = {
    ETCD_ENDPOINTS: wiring.etcdEndpoints,
    ...(config.etcdPrefix ? { ETCD_PREFIX: config.etcdPrefix } : {}),
  };
  const aws = awsEnv(config.mode, wiring.simulatorUrl);
  const host = probeHost(config.apiHost);
  return [
    {
      name: 'ingestor',
      entry: 'apps/ingestor/src/main.ts',
      args: [],
      env: { ...aws, ...simulatorSource(config.mode, wiring.simulatorUrl), ...store, METRICS_PORT: String(wiring.ingestorMetricsPort) },
      readiness: { http: `http://127.0.0.1:${wiring.ingestorMetricsPort}/readyz` },
    },
    {
      name: 'reconciler',
      entry: 'apps/reconciler/src/main.ts',
      args: [],
      env: {
        ...aws,
        ...store,
        REDIS_URL: wiring.redisUrl,
        RECONCILE_INTERVAL: config.reconcileInterval,
        METRICS_PORT: String(wiring.reconcilerMetricsPort),
      },
      readiness: { http: `http://127.0.0.1:${wiring.reconcilerMetricsPort}/readyz` },
      optional: true,
    },
    {
      name: 'api',
      entry: 'apps/api/src/main.ts',
      args: [],
      env: {
        ...store,
        REDIS_URL: wiring.redisUrl,
        HOST: config.apiHost,
        PORT: String(wiring.apiPort),
        API_TOKENS: wiring.apiTokens.join(','),
        // So that /docs opens in a browser; the data itself still needs the token.
        API_PUBLIC_DOCS: 'true',
      },
      readiness: { http: `http://${host}:${wiring.apiPort}/readyz` },
    },
  ];
}

/** The environment a service process gets: the stack's, without its own knobs, plus the spec's. */
export function serviceEnv(base: NodeJS.ProcessEnv, spec: ServiceSpec): NodeJS.ProcessEnv {
  // The AWS SDK's multi-line notice about future Node versions, once per service, buries the first log lines.
  const env: NodeJS.ProcessEnv = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...base };
  for (const name of STACK_ONLY_VARIABLES) delete env[name];
  for (const [name, value] of Object.entries(spec.env)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}
