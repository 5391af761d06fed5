import { ShardLeaseTable } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { checkpointedRecords, type StreamPlacement } from './ingest-kinesis-prefill';
import { measureIngestorReplicas, type IngestorRunResult, type IngestorRunSetup } from './ingestor-replicas';

export interface KinesisRunOptions extends IngestorRunSetup {
  readonly streamArn: string;
  readonly streamName: string;
  readonly etcd: Etcd3;
  /** INGEST_* and KINESIS_* settings for this run. */
  readonly settings: Readonly<Record<string, string>>;
  readonly placement: StreamPlacement;
}

/**
 * Starts the real ingestor (the built bundle) on a pre-filled stream with
 * EVENT_SOURCE=kinesis and measures from its readiness until every shard's
 * checkpoint is at its last record. A checkpoint is written only once the
 * records before it are durable in etcd, so that means everything is written.
 */
export async function runKinesisIngestor(options: KinesisRunOptions): Promise<IngestorRunResult> {
  const table = new ShardLeaseTable({ client: options.etcd, prefix: options.etcdPrefix, stream: options.streamArn, owner: 'bench' });
  return measureIngestorReplicas({
    ...options,
    nodeArgs: [],
    env: { EVENT_SOURCE: 'kinesis', KINESIS_STREAM_NAME: options.streamName, ...options.settings },
    total: [...options.placement.values()].reduce((n, list) => n + list.length, 0),
    done: async () => checkpointedRecords(options.placement, (await table.read()).checkpoints),
  });
}
