import type { EcsServiceOptions, EcsSimulator, Workload, WorkloadOptions } from '../ecs';
import { createEcsService, createWorkload } from '../ecs';
import { FaultController } from '../faults/fault-controller';
import type { FaultPatch } from '../faults/fault-settings';
import type { FaultyPublisher } from '../faults/faulty-publisher';
import { createFaultyPublisher } from '../faults/faulty-publisher';
import { KinesisEngine } from '../kinesis/kinesis-engine';
import { KinesisService } from '../kinesis/kinesis-service';
import { SqsEngine } from '../sqs/sqs-engine';
import { SqsService } from '../sqs/sqs-service';
import { StsService } from '../sts/sts-service';
import { fanOut } from './event-targets';
import { SimulatorServer } from './simulator-server';

export interface QueueSpec {
  name: string;
  /** CreateQueue attributes, e.g. `{ VisibilityTimeout: '5' }`. */
  attributes?: Record<string, string>;
}

export interface StreamSpec {
  name: string;
  /** Default 1. */
  shardCount?: number;
}

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 4566; 0 picks a free port. */
  port?: number;
  /** Origin put into queue URLs; default `http://<host>:<port>`. */
  publicUrl?: string;
  region?: string;
  accountId?: string;
  /** Queues created at start (names or specs). */
  queues?: readonly (string | QueueSpec)[];
  /** Queue that receives ECS state-change events, created if missing. Default `ecs-events`; null for none. */
  eventQueue?: string | null;
  /** Kinesis streams created at start (names, or specs with a shard count). */
  streams?: readonly (string | StreamSpec)[];
  /**
   * Stream that receives ECS state-change events (instead of, or as well as, the event
   * queue), created with `shardCount` shards if missing. Default none.
   */
  eventStream?: string | StreamSpec | null;
  /** Initial faults (call- and event-level); changeable later through `faults` or `/_sim/faults`. */
  faults?: FaultPatch;
  /**
   * The simulated ECS (on by default). Region and account default to the simulator's;
   * its events go to `eventQueue` through the event-level faults. `false` serves SQS only.
   */
  ecs?: false | Omit<EcsServiceOptions, 'publisher'>;
  /**
   * A generated ECS workload (clusters, instances, task churn), set up at start.
   * `seed` defaults to the fault seed; `start: false` sets it up without starting the churn.
   */
  workload?: Omit<WorkloadOptions, 'seed'> & { seed?: number; start?: boolean };
  /** Where unexpected internal errors go; default stderr. */
  onInternalError?: (error: unknown) => void;
}

export interface Simulator {
  /** e.g. `http://127.0.0.1:4566`; pass as the SDK's `endpoint` or `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly port: number;
  readonly sqs: SqsEngine;
  /** The simulated Kinesis Data Streams. */
  readonly kinesis: KinesisEngine;
  /** The simulated ECS; undefined when started with `ecs: false`. */
  readonly ecs: EcsSimulator | undefined;
  /** The generated workload, when `workload` was given. */
  readonly workload: Workload | undefined;
  readonly faults: FaultController;
  /** Publishes to the event queue through the event-level faults; undefined without an event queue. */
  readonly events: FaultyPublisher | undefined;
  readonly eventQueueUrl: string | undefined;
  /** ARN of the event stream, when there is one. */
  readonly eventStreamArn: string | undefined;
  /** The simulated STS (AssumeRole, GetCallerIdentity): which role sessions it handed out. */
  readonly sts: StsService;
  readonly server: SimulatorServer;
  /** The simulated world as it really is (what `/_sim/state` answers); undefined without ECS. */
  groundTruth(): unknown;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const faults = new FaultController(options.faults ?? {});
  const sqs = new SqsEngine({ region: options.region, accountId: options.accountId });
  const server = new SimulatorServer({ host, port: options.port ?? 4566, faults, onInternalError: options.onInternalError });
  server.register('sqs', new SqsService(sqs));
  const kinesis = new KinesisEngine({ region: sqs.region, accountId: sqs.accountId });
  server.register('kinesis', new KinesisService(kinesis));
  server.addAdminRoute('GET', '/streams', () => ({ status: 200, body: kinesis.summaries() }));
  const sts = new StsService(sqs.accountId);
  server.registerSts(sts);
  server.addAdminRoute('GET', '/queues', () => ({ status: 200, body: sqs.summaries() }));

  // Everything that can reject the options happens before the port is taken.
  for (const spec of options.queues ?? []) {
    const { name, attributes } = typeof spec === 'string' ? { name: spec, attributes: undefined } : spec;
    sqs.createQueue(name, attributes);
  }
  for (const spec of options.streams ?? []) {
    const { name, shardCount } = typeof spec === 'string' ? { name: spec, shardCount: 1 } : spec;
    kinesis.createStream(name, shardCount ?? 1);
  }
  const eventQueue = options.eventQueue === undefined ? 'ecs-events' : options.eventQueue;
  const eventStream = typeof options.eventStream === 'string' ? { name: options.eventStream } : (options.eventStream ?? null);
  const targets = [];
  if (eventQueue !== null) {
    sqs.createQueue(eventQueue);
    targets.push(sqs.publisherFor(eventQueue));
  }
  if (eventStream !== null) {
    if (!kinesis.names().includes(eventStream.name)) kinesis.createStream(eventStream.name, eventStream.shardCount ?? 1);
    targets.push(kinesis.publisherFor(eventStream.name));
  }
  const events: FaultyPublisher | undefined = targets.length > 0 ? createFaultyPublisher(fanOut(targets), faults) : undefined;

  let ecs: EcsSimulator | undefined;
  if (options.ecs !== false) {
    ecs = createEcsService({ region: sqs.region, account: sqs.accountId, ...options.ecs, publisher: events });
    server.register('ecs', ecs);
    server.setGroundTruthProvider(ecs);
  }

  let workload: Workload | undefined;
  if (options.workload) {
    if (!ecs) throw new Error('A workload needs the simulated ECS (ecs must not be false).');
    const { start: _start, seed, ...shape } = options.workload;
    workload = createWorkload(ecs, { ...shape, seed: seed ?? faults.settings.seed });
    workload.setup();
    installWorkloadRoutes(server, workload);
  }

  const address = await server.listen();
  const endpoint = `http://${formatHost(host)}:${address.port}`;
  sqs.setBaseUrl(options.publicUrl ?? endpoint);
  if (workload && options.workload?.start !== false) workload.start();

  return {
    endpoint,
    port: address.port,
    sqs,
    kinesis,
    ecs,
    workload,
    faults,
    events,
    eventQueueUrl: eventQueue === null ? undefined : sqs.queueUrl(eventQueue),
    eventStreamArn: eventStream === null ? undefined : kinesis.arnOf(eventStream.name),
    sts,
    server,
    groundTruth: () => ecs?.groundTruth(),
    async close() {
      workload?.stop();
      ecs?.close();
      events?.close();
      sqs.close();
      await server.close();
    },
  };
}

function installWorkloadRoutes(server: SimulatorServer, workload: Workload): void {
  server.addAdminRoute('POST', '/workload/start', () => {
    workload.start();
    return { status: 200, body: { running: true } };
  });
  server.addAdminRoute('POST', '/workload/stop', () => {
    workload.stop();
    return { status: 200, body: { running: false } };
  });
  server.addAdminRoute('POST', '/workload/step', (req) => {
    const operations = Number((req.body as { operations?: unknown } | undefined)?.operations ?? 1);
    if (!Number.isInteger(operations) || operations < 0) {
      return { status: 400, body: { error: 'operations must be a non-negative integer' } };
    }
    workload.step(operations);
    return { status: 200, body: { operations } };
  });
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
