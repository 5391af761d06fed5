import { Counter, Histogram, type Registry } from 'prom-client';

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
    this.received = new Counter({ name: 'ingestor_messages_received_total', help: 'SQS messages received', registers });
    this.applied = new Counter({
      name: 'ingestor_records_applied_total',
      help: 'Records written to etcd because they were newer than the stored ones',
      labelNames: ['kind'],
      registers,
    });
    this.stale = new Counter({
      name: 'ingestor_records_stale_total',
      help: 'Records not written because etcd already held the same or a newer version',
      labelNames: ['kind'],
      registers,
    });
    this.rejected = new Counter({
      name: 'ingestor_messages_rejected_total',
      help: 'Messages rejected as invalid, by reason (counted at their first receive)',
      labelNames: ['reason'],
      registers,
    });
    this.rejectedRedeliveries = new Counter({
      name: 'ingestor_messages_rejected_redelivered_total',
      help: 'Receives of messages already rejected before, on their way to the dead-letter queue',
      registers,
    });
    this.ignored = new Counter({
      name: 'ingestor_messages_ignored_total',
      help: 'Well-formed ECS events of a type the service does not store, acknowledged',
      labelNames: ['detail_type'],
      registers,
    });
    this.deleted = new Counter({ name: 'ingestor_messages_deleted_total', help: 'Messages deleted from SQS', registers });
    this.sqsErrors = new Counter({
      name: 'ingestor_sqs_errors_total',
      help: 'Failed SQS calls and refused batch entries',
      labelNames: ['operation'],
      registers,
    });
    this.etcdErrors = new Counter({ name: 'ingestor_etcd_errors_total', help: 'Failed etcd batch writes', registers });
    let conflictsCounted = 0;
    this.etcdConflicts = new Counter({
      name: 'ingestor_etcd_write_conflicts_total',
      help: 'Conditional etcd writes that lost a compare to another writer (another replica, the reconciler) and were retried',
      registers,
      collect() {
        const now = storeConflicts();
        if (now > conflictsCounted) this.inc(now - conflictsCounted);
        conflictsCounted = Math.max(conflictsCounted, now);
      },
    });
    this.batchSize = new Histogram({
      name: 'ingestor_etcd_batch_records',
      help: 'Records per etcd batch write',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    this.etcdLatency = new Histogram({
      name: 'ingestor_etcd_write_seconds',
      help: 'Duration of an etcd batch write',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.sqsLatency = new Histogram({
      name: 'ingestor_sqs_call_seconds',
      help: 'Duration of an SQS call as the ingestor waits for it (a receive includes its long poll)',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
      registers,
    });
    this.eventLag = new Histogram({
      name: 'ingestor_event_lag_seconds',
      help: 'Time from the ECS event to its write in etcd',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
  }
}
