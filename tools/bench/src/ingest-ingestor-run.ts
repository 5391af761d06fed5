import { setTimeout as sleep } from 'node:timers/promises';
import { spawnUntilReady, type StartedProcess } from './shared/child-process';
import { CpuSampler, type CpuUse } from './shared/process-cpu';
import type { SimulatorProcess } from './shared/simulator-process';
import { sustainedRate, type Progress } from './shared/sustained-rate';

export interface IngestorRunOptions {
  readonly bundle: string;
  readonly simulator: SimulatorProcess;
  readonly queueName: string;
  readonly etcdEndpoint: string;
  readonly etcdPrefix: string;
  /** INGEST_* settings for this run. */
  readonly settings: Readonly<Record<string, string>>;
  /** Other processes whose CPU is measured over the same interval (simulator, etcd, bench). */
  readonly observed: ReadonlyMap<string, number>;
  readonly messages: number;
  /** Replicas on the same queue, as the service scales out. */
  readonly replicas: number;
}

export interface IngestorRunResult {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Between 10 % and 90 % of the queue deleted: see sustainedRate. */
  readonly sustainedPerSecond: number;
  readonly cpu: CpuUse[];
}

/**
 * Starts the real ingestor (the built bundle, as it ships) on a pre-filled queue
 * and measures from its readiness until the queue is empty. The ingestor deletes
 * a message only once its record is durable in etcd, so an empty queue means
 * everything is written.
 */
export async function runIngestor(options: IngestorRunOptions): Promise<IngestorRunResult> {
  const replicas = await Promise.all(Array.from({ length: options.replicas }, () => startReplica(options)));
  try {
    const sampler = new CpuSampler(new Map([...replicas.map((r, i): [string, number] => [`ingestor ${i + 1}`, r.pid]), ...options.observed]));
    sampler.begin();
    const started = performance.now();
    const progress: Progress[] = [];
    for (;;) {
      const counts = await options.simulator.queueCounts(options.queueName);
      const left = counts.visible + counts.inFlight + counts.delayed;
      progress.push({ seconds: (performance.now() - started) / 1000, done: options.messages - left });
      if (left === 0) break;
      const dead = replicas.find((r) => r.child.exitCode !== null);
      if (dead) throw new Error(`an ingestor exited early: ${dead.stderr()}`);
      // Coarse enough not to take CPU from the processes measured; runs last a minute or more.
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = sampler.end();
    const perSecond = options.messages / seconds;
    return { messages: options.messages, seconds, perSecond, sustainedPerSecond: sustainedRate(progress, options.messages) ?? perSecond, cpu };
  } finally {
    await Promise.all(replicas.map((r) => r.stop(2000)));
  }
}

/** Node.js flags for the ingestor from BENCH_INGESTOR_NODE_ARGS, so that a profiler can watch it run (e.g. --cpu-prof). */
function profilerArgs(): string[] {
  return (globalThis.process.env.BENCH_INGESTOR_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
}

async function startReplica(options: IngestorRunOptions): Promise<StartedProcess> {
  const { process: ingestor } = await spawnUntilReady(globalThis.process.execPath, [...profilerArgs(), options.bundle], {
    env: {
      PATH: globalThis.process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: options.simulator.endpoint,
      ETCD_ENDPOINTS: options.etcdEndpoint,
      ETCD_PREFIX: options.etcdPrefix,
      QUEUE_NAME: options.queueName,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...options.settings,
    },
    ready: (line) => line.includes('"ingesting"'),
  });
  return ingestor;
}
