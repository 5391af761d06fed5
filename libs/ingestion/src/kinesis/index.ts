export { KinesisIngestor, type KinesisIngestorOptions } from './kinesis-ingestor';
export { KINESIS_METRICS, KinesisMetrics } from './kinesis-metrics';
export { KinesisRecordProcessor, type KinesisRecordProcessorOptions, type ParsedPage } from './kinesis-record-processor';
export { KinesisStreamClient, type KinesisStreamClientOptions, type RecordsPage, type ShardInfo, type StreamRecord, type StreamTarget } from './kinesis-stream-client';
export { PoisonQueue, type PoisonRecord } from './poison-queue';
export { leaseTarget, readyShards } from './shard-planning';
export { ShardReader, type ReaderOutcome, type ShardReaderOptions } from './shard-reader';
