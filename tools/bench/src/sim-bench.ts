import { SQSClient } from '@aws-sdk/client-sqs';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { generateIngestEvents } from './ingest-events';
import { describeMachine, machineSummary } from './shared/machine';
import { formatRate, markdownTable } from './shared/markdown-table';
import { percentile } from './shared/percentile';
import { CpuSampler, type CpuUse } from './shared/process-cpu';
import { SimulatorProcess } from './shared/simulator-process';
import { receiveAndDeleteAll, sendAll, type LoadResult } from './sim-sqs-load';
import { runBench } from './shared/bench-cli';

const USAGE = `Usage: npx tsx tools/bench/src/sim-bench.ts [options]

  --messages <n>   messages sent, then received and deleted, per client count (default 30000)
  --clients <list> comma-separated numbers of concurrent SDK clients (default 1,4,16)
  --json <file>    also write the results as JSON
`;

const argsSchema = z.object({
  messages: z.coerce.number().int().min(10).default(30_000),
  clients: z.array(z.coerce.number().int().min(1).max(256)).min(1),
  json: z.string().optional(),
});
type BenchArgs = z.infer<typeof argsSchema>;

const QUEUE = 'sim-bench';

interface PhaseResult {
  readonly clients: number;
  readonly phase: 'SendMessageBatch' | 'ReceiveMessage + DeleteMessageBatch';
  readonly perSecond: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Simulator CPU per 1000 messages: what one more ingestor poller costs it. */
  readonly simulatorCpuMsPer1000: number;
  readonly cpu: CpuUse[];
}

function parseCli(): BenchArgs | undefined {
  const { values } = parseArgs({
    options: { messages: { type: 'string' }, clients: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) return undefined;
  return argsSchema.parse({ messages: values.messages, clients: (values.clients ?? '1,4,16').split(','), json: values.json });
}

async function measure(
  clients: number,
  phase: PhaseResult['phase'],
  sampler: CpuSampler,
  run: () => Promise<LoadResult>,
): Promise<PhaseResult> {
  sampler.begin();
  const result = await run();
  const cpu = sampler.end();
  const simulatorCpu = cpu.find((c) => c.name === 'simulator')?.cpuSeconds ?? Number.NaN;
  return {
    clients,
    phase,
    perSecond: result.messages / result.seconds,
    callsPerSecond: result.calls / result.seconds,
    p50Ms: percentile(result.latenciesMs, 50),
    p99Ms: percentile(result.latenciesMs, 99),
    simulatorCpuMsPer1000: (simulatorCpu * 1000 * 1000) / result.messages,
    cpu,
  };
}

async function main(): Promise<void> {
  const args = parseCli();
  if (!args) {
    console.log(USAGE);
    return;
  }
  const machine = describeMachine();
  console.log(`machine: ${machineSummary(machine)}`);
  // Real ECS event bodies (about 2 KB each), as the ingestor receives them.
  const bodies = generateIngestEvents({ messages: 1000, seed: 1, duplicateShare: 0, reorderWindow: 1 }).bodies;
  const simulator = await SimulatorProcess.start([QUEUE]);
  const sampler = new CpuSampler(
    new Map([
      ['simulator', simulator.pid],
      ['clients', process.pid],
    ]),
  );
  const queueUrl = simulator.queueUrl(QUEUE);
  const results: PhaseResult[] = [];
  try {
    for (const count of args.clients) {
      const clients = Array.from(
        { length: count },
        () => new SQSClient({ region: 'us-east-1', endpoint: simulator.endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } }),
      );
      const send = await measure(count, 'SendMessageBatch', sampler, () => sendAll(clients, queueUrl, bodies, args.messages));
      console.log(`${count} clients: send ${formatRate(send.perSecond)} messages/s`);
      const receive = await measure(count, 'ReceiveMessage + DeleteMessageBatch', sampler, () => receiveAndDeleteAll(clients, queueUrl, args.messages));
      console.log(`${count} clients: receive + delete ${formatRate(receive.perSecond)} messages/s`);
      results.push(send, receive);
      for (const c of clients) c.destroy();
    }
  } finally {
    await simulator.stop();
  }

  const table = markdownTable(
    ['clients', 'operation', 'messages/s', 'calls/s', 'p50 ms', 'p99 ms', 'simulator CPU', 'simulator CPU ms / 1000 msgs', 'client CPU'],
    results.map((r) => [
      String(r.clients),
      r.phase,
      formatRate(r.perSecond),
      formatRate(r.callsPerSecond),
      r.p50Ms.toFixed(1),
      r.p99Ms.toFixed(1),
      cpuPercent(r.cpu, 'simulator'),
      r.simulatorCpuMsPer1000.toFixed(0),
      cpuPercent(r.cpu, 'clients'),
    ]),
  );
  console.log(`\nmachine: ${machineSummary(machine)}\nmessages per phase: ${args.messages}\n\n${table}`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify({ machine, args, results }, null, 2)}\n`);
}

function cpuPercent(cpu: readonly CpuUse[], name: string): string {
  const use = cpu.find((c) => c.name === name);
  return use ? `${Math.round(use.cores * 100)} %` : '-';
}

runBench(main);
