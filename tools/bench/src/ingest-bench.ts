import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { SQSClient } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { startEtcd } from '@ecs-state/local-services';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runBaseline } from './ingest-baseline-run';
import { generateIngestEvents } from './ingest-events';
import { runIngestor, type IngestorRunResult } from './ingest-ingestor-run';
import { prefillStream } from './ingest-kinesis-prefill';
import { runKinesisIngestor } from './ingest-kinesis-run';
import { prefillQueue } from './ingest-prefill';
import { differences, expectedVersions } from './ingest-verify';
import { describeMachine, machineSummary } from './shared/machine';
import { formatRate, markdownTable } from './shared/markdown-table';
import { findPidByCommandLine, type CpuUse } from './shared/process-cpu';
import { SimulatorProcess } from './shared/simulator-process';
import { benchKeyPrefix } from './bench-key-prefix';
import { runBench } from './shared/bench-cli';

const USAGE = `Usage: npx tsx tools/bench/src/ingest-bench.ts [options]

  --messages <n>            events pre-filled for the ingestor and the ceiling (default 50000)
  --sqs-latency-ms <list>   comma-separated SQS latencies to run, in ms (default 0,10)
  --pollers <n>             INGEST_POLLERS of the ingestor (default 128)
  --ingestors <n>           ingestor processes on the queue (default 1)
  --sqs-thread <bool>       INGEST_SQS_THREAD of the ingestor (default true)
  --write-batch <n>         INGEST_WRITE_BATCH of the ingestor and batch size of the ceiling (default 200)
  --writes-in-flight <n>    INGEST_WRITES_IN_FLIGHT of the ingestor (default: the ingestor's, 1)
  --ceiling-in-flight <n>   concurrent batch upserts of the ceiling (default 2)
  --kinesis-shards <n>      also run the ingestor on a Kinesis stream of n shards with the same events and latency (default 4; 0: no Kinesis run)
  --kinesis-limit <n>       KINESIS_GET_RECORDS_LIMIT of that run (default: the ingestor's, 10000)
  --original-messages <n>   events for the original algorithm (default 3000 at 0 ms, 400 at >0 ms)
  --original-seconds <n>    time limit of the original algorithm (default 30)
  --seed <n>                event stream seed (default 7)
  --json <file>             also write the results as JSON
`;

const argsSchema = z.object({
  messages: z.coerce.number().int().min(100).default(50_000),
  latencies: z.array(z.coerce.number().min(0)).min(1),
  pollers: z.coerce.number().int().min(1).max(256).optional(),
  ingestors: z.coerce.number().int().min(1).max(16).default(1),
  sqsThread: z.enum(['true', 'false']).default('true'),
  writeBatch: z.coerce.number().int().min(1).max(1000).default(200),
  ceilingInFlight: z.coerce.number().int().min(1).max(64).default(2),
  writesInFlight: z.coerce.number().int().min(1).max(8).optional(),
  kinesisShards: z.coerce.number().int().min(0).max(64).default(4),
  kinesisLimit: z.coerce.number().int().min(1).max(10_000).optional(),
  originalMessages: z.coerce.number().int().min(1).optional(),
  originalSeconds: z.coerce.number().min(1).default(30),
  seed: z.coerce.number().int().default(7),
  json: z.string().optional(),
});
type BenchArgs = z.infer<typeof argsSchema>;

const REPO_ROOT = join(__dirname, '../../..');
const INGEST_QUEUE = 'bench-ingest';
const ORIGINAL_QUEUE = 'bench-original';

interface BaselineRun {
  /** Records written (ceiling) or messages handled (original). */
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly sustainedPerSecond: number;
  readonly cpu: CpuUse[];
}

interface ScenarioResult {
  readonly sqsLatencyMs: number;
  readonly settings: Record<string, string>;
  readonly ceiling: BaselineRun;
  readonly ingestor: IngestorRunResult;
  /** The same events through a Kinesis stream, when --kinesis-shards is not 0. */
  readonly kinesis?: IngestorRunResult;
  readonly original: BaselineRun;
  readonly ofCeiling: number;
  readonly timesOriginal: number;
  readonly targets: { readonly name: string; readonly met: boolean }[];
}

function parseCli(): BenchArgs | undefined {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      'sqs-latency-ms': { type: 'string' },
      pollers: { type: 'string' },
      ingestors: { type: 'string' },
      'sqs-thread': { type: 'string' },
      'write-batch': { type: 'string' },
      'ceiling-in-flight': { type: 'string' },
      'writes-in-flight': { type: 'string' },
      'kinesis-shards': { type: 'string' },
      'kinesis-limit': { type: 'string' },
      'original-messages': { type: 'string' },
      'original-seconds': { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  return argsSchema.parse({
    messages: values.messages,
    latencies: (values['sqs-latency-ms'] ?? '0,10').split(','),
    pollers: values.pollers,
    ingestors: values.ingestors,
    sqsThread: values['sqs-thread'],
    writeBatch: values['write-batch'],
    ceilingInFlight: values['ceiling-in-flight'],
    writesInFlight: values['writes-in-flight'],
    kinesisShards: values['kinesis-shards'],
    kinesisLimit: values['kinesis-limit'],
    originalMessages: values['original-messages'],
    originalSeconds: values['original-seconds'],
    seed: values.seed,
    json: values.json,
  });
}

/** CPU seconds and share of one core; several replicas (`ingestor 1`, `ingestor 2`, ...) are added up. */
function cpuCell(cpu: readonly CpuUse[], name: string): string {
  const uses = cpu.filter((c) => c.name === name || c.name.startsWith(`${name} `));
  if (uses.length === 0) return '-';
  const seconds = uses.reduce((sum, u) => sum + u.cpuSeconds, 0);
  const cores = uses.reduce((sum, u) => sum + u.cores, 0);
  return `${seconds.toFixed(1)} s (${Math.round(cores * 100)} %)`;
}

async function main(): Promise<void> {
  const args = parseCli();
  if (!args) {
    console.log(USAGE);
    return;
  }
  const machine = describeMachine();
  console.log(`machine: ${machineSummary(machine)}`);

  console.log('building the ingestor bundle');
  execFileSync(process.execPath, ['tools/workspace/build.mjs', 'apps/ingestor'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const bundle = join(REPO_ROOT, 'dist/apps/ingestor/main.js');

  console.log(`generating ${args.messages} events`);
  const events = generateIngestEvents({ messages: args.messages, seed: args.seed, duplicateShare: 0.05, reorderWindow: 50 });
  console.log(`  ${events.bodies.length} messages, ${events.duplicates} duplicates, ${events.distinctResources} tasks and instances`);

  const etcdServer = await startEtcd();
  const simulator = await SimulatorProcess.start([INGEST_QUEUE, ORIGINAL_QUEUE]);
  const etcd = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcdServer.endpoint }));
  const sqs = new SQSClient({
    region: 'us-east-1',
    endpoint: simulator.endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  // HTTP/1.1, as the ingestor's own Kinesis client and the simulator speak it.
  const kinesisClient = new KinesisClient({
    region: 'us-east-1',
    endpoint: simulator.endpoint,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    requestHandler: new NodeHttpHandler(),
  });
  const etcdPid = findPidByCommandLine(etcdServer.dataDir);
  if (etcdPid === undefined) throw new Error('cannot find the etcd process');
  const observed = new Map([
    ['simulator', simulator.pid],
    ['etcd', etcdPid],
    ['bench', process.pid],
  ]);
  const runId = Date.now().toString(36);
  const results: ScenarioResult[] = [];
  try {
    for (const latency of args.latencies) {
      console.log(`\n== SQS latency ${latency} ms ==`);
      await simulator.setSqsLatency(0);

      const ceilingPrefix = `/bench-${runId}-ceiling-${latency}`;
      const ceiling = await runBaseline(
        {
          kind: 'ceiling',
          etcdEndpoint: etcdServer.endpoint,
          prefix: ceilingPrefix,
          events: { messages: args.messages, seed: args.seed },
          batch: args.writeBatch,
          inFlight: args.ceilingInFlight,
        },
        observed,
      );
      const ceilingStore = new ClusterStateStore({ client: etcd, prefix: benchKeyPrefix(ceilingPrefix) });
      const ceilingProblems = await differences(ceilingStore, expectedVersions(ceilingStore, events.records));
      if (ceilingProblems.length > 0) throw new Error(`ceiling run left etcd wrong: ${ceilingProblems.slice(0, 5).join('; ')}`);
      console.log(`ceiling: ${formatRate(ceiling.sustainedPerSecond)} records/s sustained, ${formatRate(ceiling.perSecond)} over the whole ${ceiling.seconds.toFixed(1)} s`);

      const originalCount = Math.min(events.bodies.length, args.originalMessages ?? (latency > 0 ? 400 : 3000));
      await prefillQueue(sqs, simulator.queueUrl(ORIGINAL_QUEUE), events.bodies.slice(0, originalCount));
      await prefillQueue(sqs, simulator.queueUrl(INGEST_QUEUE), events.bodies);
      await simulator.setSqsLatency(latency);

      const settings = {
        INGEST_POLLERS: String(args.pollers ?? 128),
        INGEST_WRITE_BATCH: String(args.writeBatch),
        ...(args.writesInFlight === undefined ? {} : { INGEST_WRITES_IN_FLIGHT: String(args.writesInFlight) }),
        INGEST_SQS_THREAD: args.sqsThread,
      };
      const ingestPrefix = `/bench-${runId}-ingest-${latency}`;
      const ingestor = await runIngestor({
        bundle,
        simulator,
        queueName: INGEST_QUEUE,
        etcdEndpoint: etcdServer.endpoint,
        etcdPrefix: ingestPrefix,
        settings,
        observed,
        messages: events.bodies.length,
        replicas: args.ingestors,
      });
      const ingestStore = new ClusterStateStore({ client: etcd, prefix: benchKeyPrefix(ingestPrefix) });
      const ingestProblems = await differences(ingestStore, expectedVersions(ingestStore, events.records));
      if (ingestProblems.length > 0) throw new Error(`the ingestor left etcd wrong: ${ingestProblems.slice(0, 5).join('; ')}`);
      console.log(
        `ingestor: ${formatRate(ingestor.sustainedPerSecond)} events/s sustained, ${formatRate(ingestor.perSecond)} over the whole ${ingestor.seconds.toFixed(1)} s, etcd verified`,
      );

      let kinesis: IngestorRunResult | undefined;
      if (args.kinesisShards > 0) {
        await simulator.setSqsLatency(0);
        const streamName = `bench-ingest-${latency}`;
        const placement = await prefillStream(kinesisClient, streamName, args.kinesisShards, events.bodies);
        const summary = await kinesisClient.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
        await simulator.setKinesisLatency(latency);
        const kinesisPrefix = `/bench-${runId}-kinesis-${latency}`;
        kinesis = await runKinesisIngestor({
          bundle,
          simulator,
          streamName,
          streamArn: summary.StreamDescriptionSummary?.StreamARN ?? '',
          etcd,
          etcdEndpoint: etcdServer.endpoint,
          etcdPrefix: benchKeyPrefix(kinesisPrefix),
          settings: {
            INGEST_WRITE_BATCH: settings.INGEST_WRITE_BATCH,
            ...(settings.INGEST_WRITES_IN_FLIGHT ? { INGEST_WRITES_IN_FLIGHT: settings.INGEST_WRITES_IN_FLIGHT } : {}),
            ...(args.kinesisLimit ? { KINESIS_GET_RECORDS_LIMIT: String(args.kinesisLimit) } : {}),
            // Replicas balance the shards at their first syncs rather than after the default 5 s.
            KINESIS_SHARD_SYNC_MS: '500',
          },
          observed,
          placement,
          replicas: args.ingestors,
        });
        await simulator.setKinesisLatency(0);
        const kinesisStore = new ClusterStateStore({ client: etcd, prefix: benchKeyPrefix(kinesisPrefix) });
        const kinesisProblems = await differences(kinesisStore, expectedVersions(kinesisStore, events.records));
        await kinesisStore.close();
        if (kinesisProblems.length > 0) throw new Error(`the Kinesis ingestor left etcd wrong: ${kinesisProblems.slice(0, 5).join('; ')}`);
        console.log(
          `ingestor on Kinesis: ${formatRate(kinesis.sustainedPerSecond)} events/s sustained, ${formatRate(kinesis.perSecond)} over the whole ${kinesis.seconds.toFixed(1)} s, etcd verified`,
        );
      }

      const original = await runBaseline(
        {
          kind: 'original',
          etcdEndpoint: etcdServer.endpoint,
          prefix: `/bench-${runId}-original-${latency}`,
          sqsEndpoint: simulator.endpoint,
          queueUrl: simulator.queueUrl(ORIGINAL_QUEUE),
          limit: originalCount,
          maxSeconds: args.originalSeconds,
        },
        observed,
      );
      console.log(
        `original algorithm: ${formatRate(original.sustainedPerSecond)} events/s sustained, ${formatRate(original.perSecond)} over the whole run (${original.count} in ${original.seconds.toFixed(1)} s)`,
      );
      // Whatever the time limit left behind must not leak into the next scenario.
      await simulator.setSqsLatency(0);
      await simulator.purge(ORIGINAL_QUEUE);

      // The targets are about sustained rates; whole-run rates are reported beside them.
      const ofCeiling = ingestor.sustainedPerSecond / ceiling.sustainedPerSecond;
      const timesOriginal = ingestor.sustainedPerSecond / original.sustainedPerSecond;
      const targets =
        latency > 0
          ? [{ name: '>= 200x the original', met: timesOriginal >= 200 }]
          : [
              { name: '>= 50 % of the ceiling', met: ofCeiling >= 0.5 },
              { name: '>= 20x the original', met: timesOriginal >= 20 },
            ];
      results.push({ sqsLatencyMs: latency, settings, ceiling, ingestor, ...(kinesis ? { kinesis } : {}), original, ofCeiling, timesOriginal, targets });
      await ingestStore.close();
      await ceilingStore.close();
    }
  } finally {
    sqs.destroy();
    kinesisClient.destroy();
    etcd.close();
    await simulator.stop();
    await etcdServer.stop();
  }

  console.log(`\n${report(args, machine, results)}`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ machine, args, results }, null, 2)}\n`);
}

function rates(run: { readonly sustainedPerSecond: number; readonly perSecond: number }): string {
  return `${formatRate(run.sustainedPerSecond)} (${formatRate(run.perSecond)})`;
}

/** CPU microseconds the named process(es) spent per event: what bounds the rate once the cores are busy. */
function microsPer(cpu: readonly CpuUse[], name: string, events: number): string {
  const seconds = cpu.filter((c) => c.name === name || c.name.startsWith(`${name} `)).reduce((sum, u) => sum + u.cpuSeconds, 0);
  return Math.round((seconds * 1e6) / events).toLocaleString('en-US');
}

function report(args: BenchArgs, machine: ReturnType<typeof describeMachine>, results: readonly ScenarioResult[]): string {
  const rows = results.flatMap((r) => [
    [`${r.sqsLatencyMs} ms`, 'ceiling (batched upserts)', rates(r.ceiling), cpuCell(r.ceiling.cpu, 'ceiling'), cpuCell(r.ceiling.cpu, 'etcd'), '-', cpuCell(r.ceiling.cpu, 'bench')],
    [
      `${r.sqsLatencyMs} ms`,
      `ingestor (${args.ingestors > 1 ? `${args.ingestors} processes x ` : ''}${r.settings.INGEST_POLLERS} pollers, batch ${r.settings.INGEST_WRITE_BATCH}${r.settings.INGEST_WRITES_IN_FLIGHT ? ` x ${r.settings.INGEST_WRITES_IN_FLIGHT} in flight` : ''}${r.settings.INGEST_SQS_THREAD === "false" ? ", SQS on the main thread" : ", SQS thread"})`,
      rates(r.ingestor),
      cpuCell(r.ingestor.cpu, 'ingestor'),
      cpuCell(r.ingestor.cpu, 'etcd'),
      cpuCell(r.ingestor.cpu, 'simulator'),
      cpuCell(r.ingestor.cpu, 'bench'),
    ],
    ...(r.kinesis
      ? [
          [
            `${r.sqsLatencyMs} ms`,
            `ingestor on Kinesis (${args.ingestors > 1 ? `${args.ingestors} processes, ` : ''}${args.kinesisShards} shards, ${args.kinesisLimit ?? 10000} records per GetRecords, batch ${r.settings.INGEST_WRITE_BATCH})`,
            rates(r.kinesis),
            cpuCell(r.kinesis.cpu, 'ingestor'),
            cpuCell(r.kinesis.cpu, 'etcd'),
            cpuCell(r.kinesis.cpu, 'simulator'),
            cpuCell(r.kinesis.cpu, 'bench'),
          ],
        ]
      : []),
    [
      `${r.sqsLatencyMs} ms`,
      `original algorithm (${r.original.count} events)`,
      rates(r.original),
      cpuCell(r.original.cpu, 'original'),
      cpuCell(r.original.cpu, 'etcd'),
      cpuCell(r.original.cpu, 'simulator'),
      cpuCell(r.original.cpu, 'bench'),
    ],
  ]);
  const table = markdownTable(['SQS (Kinesis) latency', 'run', 'events/s sustained (whole run)', 'its process CPU', 'etcd CPU', 'simulator CPU', 'bench CPU'], rows);
  const verdicts = results
    .map(
      (r) =>
        `- ${r.sqsLatencyMs} ms, sustained rates: ingestor = ${Math.round(r.ofCeiling * 100)} % of the ceiling, ${Math.round(r.timesOriginal)}x the original; ` +
        r.targets.map((t) => `${t.name}: ${t.met ? 'met' : 'MISSED'}`).join(', ') +
        `; CPU per event in its own process: ingestor ${microsPer(r.ingestor.cpu, 'ingestor', r.ingestor.messages)} µs, ` +
        (r.kinesis ? `ingestor on Kinesis ${microsPer(r.kinesis.cpu, 'ingestor', r.kinesis.messages)} µs (${Math.round((r.kinesis.sustainedPerSecond / r.ceiling.sustainedPerSecond) * 100)} % of the ceiling), ` : '') +
        `ceiling ${microsPer(r.ceiling.cpu, 'ceiling', r.ceiling.count)} µs, ` +
        `original ${microsPer(r.original.cpu, 'original', r.original.count)} µs`,
    )
    .join('\n');
  return [`machine: ${machineSummary(machine)}`, `messages: ${args.messages}, ceiling: batch ${args.writeBatch}, ${args.ceilingInFlight} in flight`, '', table, '', verdicts].join('\n');
}

runBench(main);
