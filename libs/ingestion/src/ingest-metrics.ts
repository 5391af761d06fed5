import { RECORD_KINDS, REJECT_REASONS } from '@ecs-state/domain';
import { Counter, Histogram, type Registry } from 'prom-client';

/** The ingestor's metric names, by the IngestMetrics field that holds each. */
export const INGEST_METRICS = {
  received: 'ecs_state_ingestor_messages_received_total',
  applied: 'ecs_state_ingestor_records_applied_total',
  stale: 'ecs_state_ingestor_records_stale_total',
  rejected: 'ecs_state_ingestor_messages_rejected_total',
  rejectedRedeliveries: 'ecs_state_ingestor_messages_rejected_redelivered_total',
  ignored: 'ecs_state_ingestor_messages_ignored_total',
  deleted: 'ecs_state_ingestor_messages_deleted_total',
  sqsErrors: 'ecs_state_ingestor_sqs_errors_total',
  etcdErrors: 'ecs_state_ingestor_etcd_errors_total',
  etcdConflicts: 'ecs_state_ingestor_etcd_write_conflicts_total',
  batchSize: 'ecs_state_ingestor_etcd_batch_records',
  etcdLatency: 'ecs_state_ingestor_etcd_write_seconds',
  sqsLatency: 'ecs_state_ingestor_sqs_call_seconds',
  eventLag: 'ecs_state_ingestor_event_lag_seconds',
} as const;

/** The SQS calls the ingestor makes, the `operation` label of its SQS metrics. */
export const SQS_OPERATIONS = ['ReceiveMessage', 'DeleteMessageBatch', 'ChangeMessageVisibilityBatch'] as const;

/** The ingestor's Prometheus metrics; names are part of the operations documentation. */
export class IngestMetrics {
  readonly received: Counter;
  readonly applied: Counter<'kind'>;
  readonly stale: Counter<'kind'>;
  readonly rejected: Counter<'reason'>;
  readonly rejectedRedeliveries: Counter;
  readonly ignored: Counter<'detail_type'>;
  readonly deleted: Counter;
  readonly sqsErrors: Counter<'operation'>;
  readonly etcdErrors: Counter;
  readonly etcdConflicts: Counter;
  readonly batchSize: Histogram;
  readonly etcdLatency: Histogram;
  readonly sqsLatency: Histogram;
  readonly eventLag: Histogram;

  /**
   * `storeConflicts` reads the store's running count of conditional writes
   * that lost a compare; it is turned into a counter at each scrape.
   */
  constructor(registry: Registry, storeConflicts: () => number = () => 0) {
    const registers = [registry];
    this.received = new Counter({ name: INGEST_METRICS.received, help: 'SQS messages received', registers });
    this.applied = new Counter({
      name: INGEST_METRICS.applied,
      help: 'Records written to etcd because they were newer than the stored ones',
      labelNames: ['kind'],
      registers,
    });
    this.stale = new Counter({
      name: INGEST_METRICS.stale,
      help: 'Records not written because etcd already held the same or a newer version',
      labelNames: ['kind'],
      registers,
    });
    this.rejected = new Counter({
      name: INGEST_METRICS.rejected,
      help: 'Messages rejected as invalid, by reason (counted at their first receive)',
      labelNames: ['reason'],
      registers,
    });
    // Every known label value from the start, so that rate() and alerts see a series at 0 before the first increment.
    for (const kind of RECORD_KINDS) {
      this.applied.inc({ kind }, 0);
      this.stale.inc({ kind }, 0);
    }
    for (const reason of REJECT_REASONS) this.rejected.inc({ reason }, 0);
    this.rejectedRedeliveries = new Counter({
      name: INGEST_METRICS.rejectedRedeliveries,
      help: 'Receives of messages already rejected before, on their way to the dead-letter queue',
      registers,
    });
    this.ignored = new Counter({
      name: INGEST_METRICS.ignored,
      help: 'Well-formed ECS events of a type the service does not store, acknowledged',
      labelNames: ['detail_type'],
      registers,
    });
    this.deleted = new Counter({ name: INGEST_METRICS.deleted, help: 'Messages deleted from SQS', registers });
    this.sqsErrors = new Counter({
      name: INGEST_METRICS.sqsErrors,
      help: 'Failed SQS calls and refused batch entries',
      labelNames: ['operation'],
      registers,
    });
    for (const operation of SQS_OPERATIONS) this.sqsErrors.inc({ operation }, 0);
    this.etcdErrors = new Counter({ name: INGEST_METRICS.etcdErrors, help: 'Failed etcd batch writes', registers });
    let conflictsCounted = 0;
    this.etcdConflicts = new Counter({
      name: INGEST_METRICS.etcdConflicts,
      help: 'Conditional etcd writes that lost a compare to another writer (another replica, the reconciler) and were retried',
      registers,
      collect() {
        const now = storeConflicts();
        if (now > conflictsCounted) this.inc(now - conflictsCounted);
        conflictsCounted = Math.max(conflictsCounted, now);
      },
    });
    this.batchSize = new Histogram({
      name: INGEST_METRICS.batchSize,
      help: 'Records per etcd batch write',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    this.etcdLatency = new Histogram({
      name: INGEST_METRICS.etcdLatency,
      help: 'Duration of an etcd batch write',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.sqsLatency = new Histogram({
      name: INGEST_METRICS.sqsLatency,
      help: 'Duration of an SQS call as the ingestor waits for it (a receive includes its long poll)',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers,
    });
    this.eventLag = new Histogram({
      name: INGEST_METRICS.eventLag,
      help: 'Time from the ECS event to its write in etcd',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
  }
}
