import { Agent, request, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { TaskRecord } from '@ecs-state/domain';
import { summarize, type LatencySummary } from './api-latency-stats';
import { wallClock, writeTimesSchema, type WriterPlan } from './api-stream-writer-child';
import { runChildJob } from './shared/child-job';

const MARKER = Buffer.from('{"metadata":{"entityVersion":"');
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * One stream client: when each revision's line arrived (wall clock, see
 * api-stream-writer-child.ts).
 * It works on the raw bytes: 1,000 clients read tens of MB/s in this one
 * process, and decoding all of it to strings would make the load generator's
 * own work part of the measured latency.
 */
class StreamReceiver {
  readonly arrivals = new Map<number, number>();
  private partial: Buffer = Buffer.alloc(0);
  private response: IncomingMessage | undefined;

  constructor(readonly status: number) {}

  attach(response: IncomingMessage): void {
    this.response = response;
    response.on('data', (chunk: Buffer) => this.receive(chunk, wallClock()));
    response.on('error', () => undefined);
  }

  close(): void {
    this.response?.destroy();
  }

  private receive(chunk: Buffer, at: number): void {
    const bytes = this.partial.length === 0 ? chunk : Buffer.concat([this.partial, chunk]);
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end < 0) break;
      // Only the revision is needed, so the line is not parsed as a whole.
      if (end - start > MARKER.length && bytes.compare(MARKER, 0, MARKER.length, start, start + MARKER.length) === 0) {
        const from = start + MARKER.length;
        const revision = Number(bytes.toString('latin1', from, bytes.indexOf(QUOTE, from)));
        if (!this.arrivals.has(revision)) this.arrivals.set(revision, at);
      }
      start = end + 1;
    }
    this.partial = start === bytes.length ? Buffer.alloc(0) : bytes.subarray(start);
  }
}

export interface StreamClients {
  readonly receivers: readonly StreamReceiver[];
  close(): void;
}

/** Opens `count` streams of `/v1/stream/tasks`, `batch` at a time; each must answer 200. */
export async function openStreamClients(baseUrl: string, count: number, batch = 100): Promise<StreamClients> {
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const receivers: StreamReceiver[] = [];
  const open = () =>
    new Promise<StreamReceiver>((resolve, reject) => {
      const req = request(`${baseUrl}/v1/stream/tasks`, { agent }, (res) => {
        const receiver = new StreamReceiver(res.statusCode ?? 0);
        if (receiver.status !== 200) {
          res.resume();
          reject(new Error(`stream answered ${receiver.status}`));
          return;
        }
        receiver.attach(res);
        resolve(receiver);
      });
      req.on('error', reject);
      req.end();
    });
  for (let opened = 0; opened < count; opened += batch) {
    receivers.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - opened) }, open))));
  }
  return {
    receivers,
    close: () => {
      for (const receiver of receivers) receiver.close();
      agent.destroy();
    },
  };
}

export interface DeliveryResult extends LatencySummary {
  /**
   * How long etcd took to answer each Put: its commit, which the api cannot
   * see before it happens. Issued -> received (the summary itself) includes it.
   */
  readonly etcdPut: LatencySummary;
  /** From etcd's answer to the Put to the client holding the line: the api's part (and the client's). */
  readonly afterCommit: LatencySummary;
  readonly writes: number;
  readonly clients: number;
  /** Deliveries that never arrived within the wait. */
  readonly missing: number;
  readonly writeRatePerSecond: number;
}

/** The tasks `writes` Puts will update, spread over the dataset. */
export function streamWriteTasks(tasks: readonly TaskRecord[], writes: number): TaskRecord[] {
  return Array.from({ length: writes }, (_, i) => tasks[(i * 7919) % tasks.length] as TaskRecord);
}

export interface DeliveryOptions extends WriterPlan {
  readonly clients: StreamClients;
  readonly settleMs?: number;
}

/**
 * Writes new versions of tasks straight to etcd (one Put each, the bytes the
 * ingestor would write) at a steady rate from a writer process, which notes
 * when each Put was issued and answered; then matches every client's arrival
 * of that revision against those times. The first `warmUpWrites` are
 * delivered but not measured, as the read runs warm up before measuring.
 */
export async function measureDelivery(options: DeliveryOptions): Promise<DeliveryResult> {
  const plan: WriterPlan = {
    etcdEndpoint: options.etcdEndpoint,
    prefix: options.prefix,
    tasks: options.tasks,
    warmUpWrites: options.warmUpWrites,
    writes: options.writes,
    ratePerSecond: options.ratePerSecond,
  };
  const times = await runChildJob(join(__dirname, 'api-stream-writer-child.ts'), plan, writeTimesSchema);
  const issued = times.map((t) => t.issuedAt);
  // The rate the writer kept, from its first Put to its last.
  const writeRatePerSecond = (issued.length - 1) / ((Math.max(...issued) - Math.min(...issued)) / 1000);
  const measured = times.filter((t) => !t.warmUp);
  const expected = measured.length * options.clients.receivers.length;
  const deadline = performance.now() + (options.settleMs ?? 10_000);
  // Cheap on purpose: the wait runs while the last lines are still arriving in this process.
  const lastRevision = Math.max(...times.map((t) => t.revision));
  const received = () => options.clients.receivers.reduce((n, r) => n + (r.arrivals.has(lastRevision) ? 1 : 0), 0);
  while (received() < options.clients.receivers.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));

  const byRevision = new Map(measured.map((t) => [t.revision, t]));
  const latencies: number[] = [];
  const afterCommit: number[] = [];
  for (const receiver of options.clients.receivers) {
    for (const [revision, at] of receiver.arrivals) {
      const write = byRevision.get(revision);
      if (write === undefined) continue;
      latencies.push(at - write.issuedAt);
      afterCommit.push(at - write.committedAt);
    }
  }
  return {
    ...summarize(latencies),
    etcdPut: summarize(measured.map((t) => t.committedAt - t.issuedAt)),
    afterCommit: summarize(afterCommit),
    writes: options.writes,
    clients: options.clients.receivers.length,
    missing: expected - latencies.length,
    writeRatePerSecond,
  };
}
