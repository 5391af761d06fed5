import { envField, parseEnv } from '@ecs-state/service-runtime';
import { z } from 'zod';

/** A whole number without a default, so that "not set" stays distinguishable from any value. */
function optionalInteger(min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional();
}

const optionalPort = optionalInteger(0, 65535);
const rate = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number')
  .transform(Number)
  .pipe(z.number().min(0, 'must be at least 0').max(1, 'must be at most 1'));

const schema = z.object({
  EVENT_SOURCE: z.enum(['sqs', 'kinesis'], { error: 'must be sqs or kinesis' }).default('sqs'),
  QUEUE_URL: z.string().optional(),
  QUEUE_NAME: z.string().optional(),
  KINESIS_STREAM_NAME: z.string().optional(),
  KINESIS_STREAM_ARN: z.string().optional(),
  AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region like us-east-1').optional(),
  ETCD_ENDPOINTS: z.string().optional(),
  ETCD_PREFIX: z.string().optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  API_TOKENS: envField.list().optional(),
  API_PORT: optionalPort,
  API_HOST: z.string().default('127.0.0.1'),
  SIM_PORT: optionalPort,
  INGESTOR_METRICS_PORT: optionalPort,
  RECONCILER_METRICS_PORT: optionalPort,
  RECONCILE_INTERVAL: z.string().default('1m'),
  DEMO_CLUSTERS: envField.integer(3, 1, 1000),
  DEMO_INSTANCES: envField.integer(2, 1, 1000),
  DEMO_TASKS: envField.integer(10, 0, 100_000),
  DEMO_TASK_RATE: envField.integer(5, 0, 10_000),
  DEMO_EVENT_LOSS: rate.default(0.05),
  DEMO_SEED: optionalInteger(0, 2 ** 31 - 1),
  LOCAL_STACK_RAW_LOGS: envField.boolean(false),
  LOCAL_STACK_READY_TIMEOUT_MS: envField.integer(60_000, 1000, 600_000),
  LOCAL_STACK_STOP_TIMEOUT_MS: envField.integer(10_000, 100, 600_000),
});

/** A port the user asked for (must be free) or a default that yields to a free port when busy. */
export interface PortRequest {
  port: number;
  explicit: boolean;
}

/** Where the ingestor reads events: the simulator's queue, or its Kinesis stream. */
export type EventSourceKind = 'sqs' | 'kinesis';

/** The real event queue or stream, passed to the services as given. */
export type AwsEventSource =
  | { QUEUE_URL: string }
  | { QUEUE_NAME: string }
  | { EVENT_SOURCE: 'kinesis'; KINESIS_STREAM_ARN: string }
  | { EVENT_SOURCE: 'kinesis'; KINESIS_STREAM_NAME: string };

export type StackMode =
  | {
      kind: 'simulator';
      region: string;
      clusters: number;
      instancesPerCluster: number;
      tasksPerCluster: number;
      taskRate: number;
      eventLoss: number;
      seed: number | undefined;
      port: PortRequest;
      eventSource: EventSourceKind;
    }
  | { kind: 'aws'; region: string; queue: AwsEventSource };

export interface StackConfig {
  mode: StackMode;
  /** Given etcd endpoints, or undefined to start a local etcd. */
  etcdEndpoints: string | undefined;
  etcdPrefix: string | undefined;
  /** Given Redis URL, or undefined to start a local Redis. */
  redisUrl: string | undefined;
  /** Given tokens, or undefined to generate a demo token. */
  apiTokens: string[] | undefined;
  apiHost: string;
  apiPort: PortRequest;
  ingestorMetricsPort: PortRequest;
  reconcilerMetricsPort: PortRequest;
  reconcileInterval: string;
  rawLogs: boolean;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

function portRequest(value: number | undefined, fallback: number): PortRequest {
  return value === undefined ? { port: fallback, explicit: false } : { port: value, explicit: true };
}

function awsEventSource(e: z.infer<typeof schema>): AwsEventSource | undefined {
  if (e.EVENT_SOURCE === 'kinesis') {
    if (e.KINESIS_STREAM_ARN) return { EVENT_SOURCE: 'kinesis', KINESIS_STREAM_ARN: e.KINESIS_STREAM_ARN };
    if (e.KINESIS_STREAM_NAME) return { EVENT_SOURCE: 'kinesis', KINESIS_STREAM_NAME: e.KINESIS_STREAM_NAME };
    return undefined;
  }
  return e.QUEUE_URL ? { QUEUE_URL: e.QUEUE_URL } : e.QUEUE_NAME ? { QUEUE_NAME: e.QUEUE_NAME } : undefined;
}

/**
 * The one rule for real AWS: a given event queue (QUEUE_URL or QUEUE_NAME), or stream
 * (EVENT_SOURCE=kinesis with KINESIS_STREAM_NAME or KINESIS_STREAM_ARN), means the
 * events come from a real EventBridge rule, so no simulator is started and the AWS
 * variables reach the services untouched. EVENT_SOURCE=kinesis alone runs the
 * simulator with its events in a Kinesis stream instead of the queue.
 */
export function loadStackConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const e = parseEnv(schema, env);
  const queue = awsEventSource(e);
  let mode: StackMode;
  if (queue) {
    if (!e.AWS_REGION) throw new Error('AWS_REGION is required with QUEUE_URL / QUEUE_NAME / KINESIS_STREAM_NAME / KINESIS_STREAM_ARN (real AWS mode)');
    mode = { kind: 'aws', region: e.AWS_REGION, queue };
  } else {
    mode = {
      kind: 'simulator',
      region: e.AWS_REGION ?? 'us-east-1',
      clusters: e.DEMO_CLUSTERS,
      instancesPerCluster: e.DEMO_INSTANCES,
      tasksPerCluster: e.DEMO_TASKS,
      taskRate: e.DEMO_TASK_RATE,
      eventLoss: e.DEMO_EVENT_LOSS,
      seed: e.DEMO_SEED,
      port: portRequest(e.SIM_PORT, 4566),
      eventSource: e.EVENT_SOURCE,
    };
  }
  return {
    mode,
    etcdEndpoints: e.ETCD_ENDPOINTS,
    etcdPrefix: e.ETCD_PREFIX,
    redisUrl: e.REDIS_URL,
    apiTokens: e.API_TOKENS && e.API_TOKENS.length > 0 ? e.API_TOKENS : undefined,
    apiHost: e.API_HOST,
    apiPort: portRequest(e.API_PORT, 3000),
    ingestorMetricsPort: portRequest(e.INGESTOR_METRICS_PORT, 9100),
    reconcilerMetricsPort: portRequest(e.RECONCILER_METRICS_PORT, 9102),
    reconcileInterval: e.RECONCILE_INTERVAL,
    rawLogs: e.LOCAL_STACK_RAW_LOGS,
    readyTimeoutMs: e.LOCAL_STACK_READY_TIMEOUT_MS,
    stopTimeoutMs: e.LOCAL_STACK_STOP_TIMEOUT_MS,
  };
}
