export { BatchProcessor, type BatchProcessorOptions, type BatchResult } from './batch-processor';
export { IngestMetrics } from './ingest-metrics';
export { Ingestor, type IngestorOptions } from './ingestor';
export { QueueConnections, type QueueConnectionOptions } from './queue-connections';
export { QueueClient, type ReceivedMessage, type BatchFailure, type QueueAttributesSummary } from './queue-client';
export { WriteBatcher } from './write-batcher';
export { meteredWriter, type RecordWriter } from './metered-writer';
