import { DEFAULT_SERVICE_EVENTS_LIMIT, type ServiceState, type StateRecord } from '@ecs-state/domain';
import type { MergeOutcome, UpsertOutcome } from '@ecs-state/etcd-store';
import type { IngestMetrics } from './ingest-metrics';

/** The store operations the ingestor needs: newer-wins writes of tasks and instances, merges of services. */
export interface RecordWriter {
  upsert(records: readonly StateRecord[]): Promise<UpsertOutcome[]>;
  mergeServices(services: readonly ServiceState[], options: { eventsLimit?: number }): Promise<MergeOutcome[]>;
}

/** What a write did to one record: `stale` when etcd already held it or something newer. */
export interface WriteOutcome {
  readonly status: 'applied' | 'stale';
}

export interface WriterOptions {
  /** Service events kept per service (SERVICE_EVENTS_LIMIT). */
  readonly serviceEventsLimit?: number;
}

/**
 * Wraps the store's batch writes with the batch-size and latency metrics. A batch's
 * services are merged (they have no version) beside the newer-wins write of the rest.
 */
export function meteredWriter(writer: RecordWriter, metrics: IngestMetrics, options: WriterOptions = {}): (records: StateRecord[]) => Promise<WriteOutcome[]> {
  const eventsLimit = options.serviceEventsLimit ?? DEFAULT_SERVICE_EVENTS_LIMIT;
  return async (records) => {
    metrics.batchSize.observe(records.length);
    const end = metrics.etcdLatency.startTimer();
    try {
      const versioned: StateRecord[] = [];
      const services: ServiceState[] = [];
      for (const record of records) (record.kind === 'service' ? services : versioned).push(record as never);
      const [upserted, merged] = await Promise.all([
        versioned.length > 0 ? writer.upsert(versioned) : [],
        services.length > 0 ? writer.mergeServices(services, { eventsLimit }) : [],
      ]);
      let v = 0;
      let s = 0;
      return records.map((record): WriteOutcome => {
        if (record.kind !== 'service') return upserted[v++] as UpsertOutcome;
        return { status: (merged[s++] as MergeOutcome).status === 'applied' ? 'applied' : 'stale' };
      });
    } finally {
      end();
    }
  };
}
