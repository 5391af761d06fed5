import type { StateRecord } from '@ecs-state/domain';
import type { UpsertOutcome } from '@ecs-state/etcd-store';
import type { IngestMetrics } from './ingest-metrics';

/** The one store operation the ingestor needs. */
export interface RecordWriter {
  upsert(records: readonly StateRecord[]): Promise<UpsertOutcome[]>;
}

/** Wraps the store's batch write with the batch-size and latency metrics. */
export function meteredWriter(
  writer: RecordWriter,
  metrics: IngestMetrics,
): (records: StateRecord[]) => Promise<UpsertOutcome[]> {
  return async (records) => {
    metrics.batchSize.observe(records.length);
    const end = metrics.etcdLatency.startTimer();
    try {
      return await writer.upsert(records);
    } finally {
      end();
    }
  };
}
