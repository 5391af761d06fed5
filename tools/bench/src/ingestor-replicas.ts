import { setTimeout as sleep } from 'node:timers/promises';
import { spawnUntilReady, type StartedProcess } from './shared/child-process';
import { CpuSampler, type CpuUse } from './shared/process-cpu';
import type { SimulatorProcess } from './shared/simulator-process';
import { sustainedRate, type Progress } from './shared/sustained-rate';

export interface IngestorRunResult {
  readonly messages: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Between 10 % and 90 % of the work done: see sustainedRate. */
  readonly sustainedPerSecond: number;
  readonly cpu: CpuUse[];
}

/** What every ingestor run is given, whatever its event source. */
export interface IngestorRunSetup {
  readonly bundle: string;
  readonly simulator: SimulatorProcess;
  readonly etcdEndpoint: string;
  readonly etcdPrefix: string;
  /** Other processes whose CPU is measured over the same interval (simulator, etcd, bench). */
  readonly observed: ReadonlyMap<string, number>;
  /** Replicas on the same source, as the service scales out. */
  readonly replicas: number;
}

export interface IngestorReplicasOptions extends IngestorRunSetup {
  /** Node.js flags put before the bundle. */
  readonly nodeArgs: readonly string[];
  /** The event source's settings and the run's INGEST_* ones. */
  readonly env: Readonly<Record<string, string>>;
  /** How many records make the run. */
  readonly total: number;
  /** How many of them are durable in etcd, as the source's own acknowledgement says. */
  done(): Promise<number>;
}

/**
 * Starts the real ingestor (the built bundle, as it ships) as `replicas` processes and measures
 * from their readiness until `done()` reaches `total`.
 */
export async function measureIngestorReplicas(options: IngestorReplicasOptions): Promise<IngestorRunResult> {
  const replicas = await Promise.all(Array.from({ length: options.replicas }, () => startReplica(options)));
  try {
    const sampler = new CpuSampler(new Map([...replicas.map((r, i): [string, number] => [`ingestor ${i + 1}`, r.pid]), ...options.observed]));
    sampler.begin();
    const started = performance.now();
    const progress: Progress[] = [];
    for (;;) {
      const done = await options.done();
      progress.push({ seconds: (performance.now() - started) / 1000, done });
      if (done >= options.total) break;
      const dead = replicas.find((r) => r.child.exitCode !== null);
      if (dead) throw new Error(`an ingestor exited early: ${dead.stderr()}`);
      // Coarse enough not to take CPU from the processes measured; runs last a minute or more.
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = sampler.end();
    const perSecond = options.total / seconds;
    return { messages: options.total, seconds, perSecond, sustainedPerSecond: sustainedRate(progress, options.total) ?? perSecond, cpu };
  } finally {
    await Promise.all(replicas.map((r) => r.stop(2000)));
  }
}

async function startReplica(options: IngestorReplicasOptions): Promise<StartedProcess> {
  const { process: ingestor } = await spawnUntilReady(globalThis.process.execPath, [...options.nodeArgs, options.bundle], {
    env: {
      PATH: globalThis.process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: options.simulator.endpoint,
      ETCD_ENDPOINTS: options.etcdEndpoint,
      ETCD_PREFIX: options.etcdPrefix,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    ready: (line) => line.includes('"ingesting"'),
  });
  return ingestor;
}
