import { ShardLeaseTable } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkpointedRecords, type StreamPlacement } from './ingest-kinesis-prefill';
import type { IngestorRunResult } from './ingest-ingestor-run';
import { spawnUntilReady, type StartedProcess } from './shared/child-process';
import { CpuSampler } from './shared/process-cpu';
import type { SimulatorProcess } from './shared/simulator-process';
import { sustainedRate, type Progress } from './shared/sustained-rate';

export interface KinesisRunOptions {
  readonly bundle: string;
  readonly simulator: SimulatorProcess;
  readonly streamArn: string;
  readonly streamName: string;
  readonly etcd: Etcd3;
  readonly etcdEndpoint: string;
  readonly etcdPrefix: string;
  /** INGEST_* and KINESIS_* settings for this run. */
  readonly settings: Readonly<Record<string, string>>;
  readonly observed: ReadonlyMap<string, number>;
  readonly placement: StreamPlacement;
  readonly replicas: number;
}

/**
 * Starts the real ingestor (the built bundle) on a pre-filled stream with
 * EVENT_SOURCE=kinesis and measures from its readiness until every shard's
 * checkpoint is at its last record. A checkpoint is written only once the
 * records before it are durable in etcd, so that means everything is written.
 */
export async function runKinesisIngestor(options: KinesisRunOptions): Promise<IngestorRunResult> {
  const total = [...options.placement.values()].reduce((n, list) => n + list.length, 0);
  const table = new ShardLeaseTable({ client: options.etcd, prefix: options.etcdPrefix, stream: options.streamArn, owner: 'bench' });
  const replicas = await Promise.all(Array.from({ length: options.replicas }, () => startReplica(options)));
  try {
    const sampler = new CpuSampler(new Map([...replicas.map((r, i): [string, number] => [`ingestor ${i + 1}`, r.pid]), ...options.observed]));
    sampler.begin();
    const started = performance.now();
    const progress: Progress[] = [];
    for (;;) {
      const done = checkpointedRecords(options.placement, (await table.read()).checkpoints);
      progress.push({ seconds: (performance.now() - started) / 1000, done });
      if (done === total) break;
      const dead = replicas.find((r) => r.child.exitCode !== null);
      if (dead) throw new Error(`an ingestor exited early: ${dead.stderr()}`);
      await sleep(100);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = sampler.end();
    const perSecond = total / seconds;
    return { messages: total, seconds, perSecond, sustainedPerSecond: sustainedRate(progress, total) ?? perSecond, cpu };
  } finally {
    await Promise.all(replicas.map((r) => r.stop(2000)));
  }
}

async function startReplica(options: KinesisRunOptions): Promise<StartedProcess> {
  const { process: ingestor } = await spawnUntilReady(globalThis.process.execPath, [options.bundle], {
    env: {
      PATH: globalThis.process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: options.simulator.endpoint,
      ETCD_ENDPOINTS: options.etcdEndpoint,
      ETCD_PREFIX: options.etcdPrefix,
      EVENT_SOURCE: 'kinesis',
      KINESIS_STREAM_NAME: options.streamName,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...options.settings,
    },
    ready: (line) => line.includes('"ingesting"'),
  });
  return ingestor;
}
