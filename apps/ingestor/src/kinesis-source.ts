import { SQSClient } from '@aws-sdk/client-sqs';
import type { StateRecord } from '@ecs-state/domain';
import type { WriteOutcome } from '@ecs-state/ingestion';
import {
  KinesisIngestor,
  KinesisMetrics,
  KinesisRecordProcessor,
  KinesisStreamClient,
  PoisonQueue,
  type IngestMetrics,
  type WriteBatcher,
  type WriteGate,
} from '@ecs-state/ingestion';
import { retryUntilAvailable, type Logger } from '@ecs-state/service-runtime';
import type { Etcd3 } from 'etcd3';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import type { EventSourceSettings } from './event-source-config';

export interface KinesisSourceOptions {
  source: EventSourceSettings;
  etcd: Etcd3;
  prefix: string;
  batcher: WriteBatcher<StateRecord, WriteOutcome>;
  metrics: IngestMetrics;
  registry: Registry;
  logger: Logger;
  maxMessageBytes: number;
  writeBatch: number;
  writeGate: WriteGate;
  signal: AbortSignal;
}

export interface KinesisSource {
  readonly ingestor: KinesisIngestor;
  readonly streamArn: string;
  close(): void;
}

/**
 * Resolves the stream (retrying: at boot Kinesis or the network to it may not
 * be reachable yet) and builds the reader of its shards. Region, endpoint
 * (AWS_ENDPOINT_URL_KINESIS) and credentials come from the SDK's standard variables.
 */
export async function openKinesisSource(options: KinesisSourceOptions): Promise<KinesisSource> {
  const { source, logger } = options;
  const kinesisMetrics = new KinesisMetrics(options.registry);
  // One GetRecords at a time per shard held; a few more for the coordinator.
  const client = new KinesisStreamClient({ maxSockets: 64, metrics: kinesisMetrics });
  const stream = await retryUntilAvailable(
    () =>
      client.describe({
        ...(source.KINESIS_STREAM_NAME ? { streamName: source.KINESIS_STREAM_NAME } : {}),
        ...(source.KINESIS_STREAM_ARN ? { streamArn: source.KINESIS_STREAM_ARN } : {}),
      }),
    { what: 'describe the Kinesis stream', logger, meta: { stream: source.KINESIS_STREAM_ARN ?? source.KINESIS_STREAM_NAME }, signal: options.signal },
  ).catch((err: unknown) => {
    client.destroy();
    throw err;
  });
  const poisonQueue = source.KINESIS_POISON_QUEUE_URL ? new PoisonQueue(new SQSClient({}), source.KINESIS_POISON_QUEUE_URL) : undefined;
  if (!poisonQueue) {
    logger.warn('no KINESIS_POISON_QUEUE_URL: records that cannot be parsed are logged, counted and skipped (Kinesis has no dead-letter queue)', { streamArn: stream.arn });
  }
  const processor = new KinesisRecordProcessor({
    batcher: options.batcher,
    metrics: options.metrics,
    kinesisMetrics,
    logger,
    maxMessageBytes: options.maxMessageBytes,
    writeBatch: options.writeBatch,
    ...(poisonQueue ? { poisonQueue } : {}),
  });
  const ingestor = new KinesisIngestor({
    client,
    streamArn: stream.arn,
    etcd: options.etcd,
    prefix: options.prefix,
    owner: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    processor,
    metrics: kinesisMetrics,
    logger,
    leaseTtlSeconds: source.KINESIS_LEASE_TTL_SECONDS,
    syncIntervalMs: source.KINESIS_SHARD_SYNC_MS,
    getRecordsLimit: source.KINESIS_GET_RECORDS_LIMIT,
    idlePollMs: source.KINESIS_IDLE_POLL_MS,
    writeGate: options.writeGate,
  });
  return {
    ingestor,
    streamArn: stream.arn,
    close() {
      client.destroy();
      poisonQueue?.destroy();
    },
  };
}
