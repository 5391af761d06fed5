import { join } from 'node:path';
import { freePort } from '@ecs-state/local-services';
import { z } from 'zod';
import { spawnUntilReady, type StartedProcess } from './child-process';

const SIM_MAIN = join(__dirname, '../../../ecs-sim/src/main.ts');

const queuesSchema = z.array(
  z.object({ name: z.string(), stats: z.object({ visible: z.number(), inFlight: z.number(), delayed: z.number() }) }).loose(),
);

export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/**
 * The simulator as its own process (SQS and Kinesis, no ECS), so that its CPU is measured apart
 * from the process under test and its event loop competes with nobody's.
 */
export class SimulatorProcess {
  private constructor(
    readonly endpoint: string,
    private readonly started: StartedProcess,
  ) {}

  static async start(queues: readonly string[]): Promise<SimulatorProcess> {
    const port = await freePort();
    const args = [...(globalThis.process.env.BENCH_SIM_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx', SIM_MAIN, '--port', String(port), '--no-ecs', '--event-queue', 'none', '--seed', '1'];
    for (const q of queues) args.push('--queue', q);
    const { process } = await spawnUntilReady(globalThis.process.execPath, args, {
      env: { PATH: globalThis.process.env.PATH },
      ready: (line) => line.startsWith('ecs-sim listening on'),
    });
    return new SimulatorProcess(`http://127.0.0.1:${port}`, process);
  }

  get pid(): number {
    return this.started.pid;
  }

  /** Latency the simulator adds before handling every SQS call (0 = loopback only). */
  async setSqsLatency(latencyMs: number): Promise<void> {
    const res = await fetch(`${this.endpoint}/_sim/faults`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sqs: { latencyMs, jitterMs: 0 } }),
    });
    if (!res.ok) throw new Error(`setting the SQS latency failed: ${res.status} ${await res.text()}`);
  }

  /** Latency the simulator adds before handling every Kinesis call (0 = loopback only). */
  async setKinesisLatency(latencyMs: number): Promise<void> {
    const res = await fetch(`${this.endpoint}/_sim/faults`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kinesis: { latencyMs, jitterMs: 0 } }),
    });
    if (!res.ok) throw new Error(`setting the Kinesis latency failed: ${res.status} ${await res.text()}`);
  }

  async queueCounts(name: string): Promise<QueueCounts> {
    const res = await fetch(`${this.endpoint}/_sim/queues`);
    const queue = queuesSchema.parse(await res.json()).find((q) => q.name === name);
    if (!queue) throw new Error(`the simulator has no queue ${name}`);
    return queue.stats;
  }

  /** Empties a queue through the SQS API, at whatever latency is set. */
  async purge(name: string): Promise<void> {
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.PurgeQueue' },
      body: JSON.stringify({ QueueUrl: this.queueUrl(name) }),
    });
    if (!res.ok) throw new Error(`PurgeQueue failed: ${res.status} ${await res.text()}`);
  }

  queueUrl(name: string): string {
    return `${this.endpoint}/000000000000/${name}`;
  }

  stop(): Promise<void> {
    return this.started.stop();
  }
}
