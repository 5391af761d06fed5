export { BatchProcessor, type BatchProcessorOptions, type BatchResult } from './batch-processor';
export { INGEST_METRICS, IngestMetrics } from './ingest-metrics';
export { Ingestor, type IngestorOptions, type WriteGate } from './ingestor';
export type { QueueConnectionOptions } from './queue-connections';
export { QueueClient, type QueueTarget } from './queue-client';
export type {
  BatchFailure,
  MessageHandle,
  MessageQueue,
  QueueAttributesSummary,
  ReceivedMessage,
  ReceiveOptions,
  ReceiveResult,
} from './message-queue';
export { ThreadedQueue, type ThreadedQueueOptions } from './threaded-queue';
export { serveQueueThread } from './queue-thread-server';
export type { QueueThreadClientSettings } from './queue-thread-protocol';
export { WriteBatcher } from './write-batcher';
export { meteredWriter, type RecordWriter, type WriteOutcome, type WriterOptions } from './metered-writer';
export type { EventSource } from './event-source';
export { parseEvents, type ParsedEvents, type RejectedItem, type ToWrite } from './event-parsing';
export { writeRecords } from './record-writing';
export * from './kinesis';
