import { Agent, request, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { KeyPrefix, TaskRecord } from '@ecs-state/domain';
import { stateRecordCodec } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { summarize, type LatencySummary } from './api-latency-stats';

const MARKER = Buffer.from('{"metadata":{"entityVersion":"');
const NEWLINE = 0x0a;
const QUOTE = 0x22;

/**
 * One stream client: when each revision's line arrived (performance.now()).
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
    response.on('data', (chunk: Buffer) => this.receive(chunk, performance.now()));
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
   * How long etcd took to answer each Put (issued -> response in this
   * process): the part of the delivery latency that is etcd's commit, before
   * the api can see the change at all.
   */
  readonly etcdPut: LatencySummary;
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

export interface DeliveryOptions {
  readonly client: Etcd3;
  readonly prefix: KeyPrefix;
  /** The task each write updates (see streamWriteTasks), reused from the start when there are more writes. */
  readonly tasks: readonly TaskRecord[];
  readonly writes: number;
  readonly ratePerSecond: number;
  readonly clients: StreamClients;
  readonly settleMs?: number;
}

/**
 * Writes new versions of tasks straight to etcd (one Put each, the bytes the
 * ingestor would write) at a steady rate, noting when each Put was issued;
 * then matches every client's arrival of that revision against it.
 */
export async function measureDelivery(options: DeliveryOptions): Promise<DeliveryResult> {
  const codec = stateRecordCodec(options.prefix);
  const issuedAt = new Map<number, number>();
  const putLatencies: number[] = [];
  const interval = 1000 / options.ratePerSecond;
  const begin = performance.now();
  const puts: Promise<void>[] = [];
  for (let i = 0; i < options.writes; i++) {
    const wait = begin + i * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const task = options.tasks[i % options.tasks.length] as TaskRecord;
    const state = { kind: 'task' as const, record: { ...task, version: task.version + 1 + i } };
    const t0 = performance.now();
    puts.push(
      options.client
        .put(codec.keyOf(state))
        .value(Buffer.from(codec.encode(state)))
        .exec()
        .then((response) => {
          putLatencies.push(performance.now() - t0);
          issuedAt.set(Number(response.header.revision), t0);
        }),
    );
  }
  await Promise.all(puts);
  const writeRatePerSecond = options.writes / ((performance.now() - begin) / 1000);
  const expected = options.writes * options.clients.receivers.length;
  const deadline = performance.now() + (options.settleMs ?? 10_000);
  // Cheap on purpose: the wait runs while the last lines are still arriving in this process.
  const received = () => options.clients.receivers.reduce((n, r) => n + r.arrivals.size, 0);
  while (received() < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));

  const latencies: number[] = [];
  for (const receiver of options.clients.receivers) {
    for (const [revision, at] of receiver.arrivals) {
      const t0 = issuedAt.get(revision);
      if (t0 !== undefined) latencies.push(at - t0);
    }
  }
  return { ...summarize(latencies), etcdPut: summarize(putLatencies), writes: options.writes, clients: options.clients.receivers.length, missing: expected - latencies.length, writeRatePerSecond };
}
