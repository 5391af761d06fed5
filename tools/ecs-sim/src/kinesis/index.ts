export { KinesisEngine, type KinesisEngineOptions, type StreamSummary } from './kinesis-engine';
export { KinesisService } from './kinesis-service';
export { KinesisStream, type PutResult } from './kinesis-stream';
export { KinesisShard, type StoredKinesisRecord } from './kinesis-shard';
export { hashKeyOf, MAX_HASH_KEY } from './hash-key';
