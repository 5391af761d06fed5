import { parseArgs } from 'node:util';
import type { FaultPatch } from '../faults/fault-settings';
import { faultPatchSchema } from '../faults/fault-settings';
import type { SimulatorOptions } from './start-simulator';

export const CLI_USAGE = `Usage: ecs-sim [options]

  --host <addr>              listen address (ECS_SIM_HOST, default 127.0.0.1)
  --port <n>                 listen port, 0 = random (ECS_SIM_PORT, default 4566)
  --public-url <url>         origin used in queue URLs (ECS_SIM_PUBLIC_URL)
  --region <r>               (ECS_SIM_REGION / AWS_REGION, default us-east-1)
  --account <id>             (ECS_SIM_ACCOUNT, default 000000000000)
  --queue <name>             create a queue at start; repeatable (ECS_SIM_QUEUES=a,b)
  --event-queue <name>       queue receiving ECS events (ECS_SIM_EVENT_QUEUE, default ecs-events; "none" for none)
  --event-stream <name[:n]>  Kinesis stream (of n shards, default 1) receiving ECS events too (ECS_SIM_EVENT_STREAM)
  --no-ecs                   do not simulate ECS (ECS_SIM_ECS=false)
  --arn-format <long|short>  ARN format of ECS clusters without the ecs-sim:arn-format tag (ECS_SIM_ARN_FORMAT)
  --clusters <n>             generate an ECS workload of n clusters (ECS_SIM_CLUSTERS)
  --instances-per-cluster <n>  container instances per workload cluster (ECS_SIM_INSTANCES_PER_CLUSTER, default 2)
  --tasks-per-cluster <n>    RUNNING tasks populated per workload cluster (ECS_SIM_TASKS_PER_CLUSTER, default 0)
  --rate <n>                 workload task starts + stops per second (ECS_SIM_RATE, default 10; 0 = set up only)
  --seed <n>                 seed of fault decisions and ECS identifiers (ECS_SIM_SEED)
  --latency-ms <n>           latency added to every call
  --jitter-ms <n>            extra uniform random latency
  --error-rate <f>           fraction of calls answered with a 5xx
  --ecs-throttle-rps <n>     ECS calls per second before ThrottlingException
  --ecs-throttle-burst <n>   ECS token-bucket capacity
  --drop-rate <f>            fraction of ECS events dropped
  --duplicate-rate <f>       fraction of ECS events delivered twice
  --max-delay-ms <n>         ECS events held up to this long (reorders them)
  --faults <json>            any fault settings as JSON, applied last (ECS_SIM_FAULTS)
  --help
`;

export interface CliOptions {
  simulator: SimulatorOptions;
  help: boolean;
}

function number(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`--${name} expects a number, got "${raw}"`);
  return value;
}

/** Command-line flags win over environment variables, which win over defaults. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'public-url': { type: 'string' },
      region: { type: 'string' },
      account: { type: 'string' },
      queue: { type: 'string', multiple: true },
      'event-queue': { type: 'string' },
      'event-stream': { type: 'string' },
      'no-ecs': { type: 'boolean' },
      'arn-format': { type: 'string' },
      clusters: { type: 'string' },
      'instances-per-cluster': { type: 'string' },
      'tasks-per-cluster': { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      'latency-ms': { type: 'string' },
      'jitter-ms': { type: 'string' },
      'error-rate': { type: 'string' },
      'ecs-throttle-rps': { type: 'string' },
      'ecs-throttle-burst': { type: 'string' },
      'drop-rate': { type: 'string' },
      'duplicate-rate': { type: 'string' },
      'max-delay-ms': { type: 'string' },
      faults: { type: 'string' },
      help: { type: 'boolean' },
    },
  });

  const queues = values.queue ?? (env['ECS_SIM_QUEUES'] ? env['ECS_SIM_QUEUES'].split(',').map((q) => q.trim()) : []);
  const eventQueueRaw = values['event-queue'] ?? env['ECS_SIM_EVENT_QUEUE'] ?? 'ecs-events';
  const eventStreamRaw = values['event-stream'] ?? env['ECS_SIM_EVENT_STREAM'];
  const [eventStreamName, eventStreamShards] = eventStreamRaw?.split(':') ?? [];

  const flagFaults: FaultPatch = faultPatchSchema.parse({
    seed: number('seed', values.seed ?? env['ECS_SIM_SEED']),
    latencyMs: number('latency-ms', values['latency-ms']),
    jitterMs: number('jitter-ms', values['jitter-ms']),
    errorRate: number('error-rate', values['error-rate']),
    ecs: {
      throttleRps: number('ecs-throttle-rps', values['ecs-throttle-rps']),
      throttleBurst: number('ecs-throttle-burst', values['ecs-throttle-burst']),
    },
    events: {
      dropRate: number('drop-rate', values['drop-rate']),
      duplicateRate: number('duplicate-rate', values['duplicate-rate']),
      maxDelayMs: number('max-delay-ms', values['max-delay-ms']),
    },
  });
  const jsonFaults = values.faults ?? env['ECS_SIM_FAULTS'];
  const extraFaults: FaultPatch = jsonFaults ? faultPatchSchema.parse(JSON.parse(jsonFaults)) : {};

  const arnFormat = values['arn-format'] ?? env['ECS_SIM_ARN_FORMAT'];
  if (arnFormat !== undefined && arnFormat !== 'long' && arnFormat !== 'short') {
    throw new Error(`--arn-format expects long or short, got "${arnFormat}"`);
  }
  const faults = mergePatches(flagFaults, extraFaults);
  const ecsEnabled = !(values['no-ecs'] ?? env['ECS_SIM_ECS'] === 'false');
  const clusters = number('clusters', values.clusters ?? env['ECS_SIM_CLUSTERS']);
  const rate = number('rate', values.rate ?? env['ECS_SIM_RATE']) ?? 10;
  const workload: SimulatorOptions['workload'] =
    clusters !== undefined && clusters > 0 && ecsEnabled
      ? {
          clusters,
          instancesPerCluster:
            number('instances-per-cluster', values['instances-per-cluster'] ?? env['ECS_SIM_INSTANCES_PER_CLUSTER']) ?? 2,
          tasksPerCluster: number('tasks-per-cluster', values['tasks-per-cluster'] ?? env['ECS_SIM_TASKS_PER_CLUSTER']) ?? 0,
          ratePerSecond: rate > 0 ? rate : 1,
          start: rate > 0,
        }
      : undefined;
  const simulator: SimulatorOptions = {
    host: values.host ?? env['ECS_SIM_HOST'] ?? '127.0.0.1',
    port: number('port', values.port ?? env['ECS_SIM_PORT']) ?? 4566,
    publicUrl: values['public-url'] ?? env['ECS_SIM_PUBLIC_URL'],
    region: values.region ?? env['ECS_SIM_REGION'] ?? env['AWS_REGION'] ?? 'us-east-1',
    accountId: values.account ?? env['ECS_SIM_ACCOUNT'] ?? '000000000000',
    queues: queues.filter((q) => q.length > 0),
    eventQueue: eventQueueRaw === 'none' ? null : eventQueueRaw,
    ...(eventStreamName ? { eventStream: { name: eventStreamName, shardCount: number('event-stream', eventStreamShards) ?? 1 } } : {}),
    faults,
    ecs: ecsEnabled
      ? {
          ...(arnFormat ? { defaultArnFormat: arnFormat } : {}),
          ...(faults.seed !== undefined ? { seed: faults.seed } : {}),
        }
      : false,
    ...(workload ? { workload } : {}),
  };
  return { simulator, help: values.help ?? false };
}

function mergePatches(a: FaultPatch, b: FaultPatch): FaultPatch {
  return {
    ...a,
    ...b,
    sqs: { ...a.sqs, ...b.sqs },
    ecs: { ...a.ecs, ...b.ecs },
    events: { ...a.events, ...b.events },
  };
}
