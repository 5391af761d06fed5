import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Metrics of the Kinesis source, beside the ingestor's shared ones (applied, stale, rejected, etcd). */
export class KinesisMetrics {
  readonly millisBehindLatest: Gauge<'shard'>;
  readonly leasesHeld: Gauge;
  readonly leasesAcquired: Counter;
  readonly checkpoints: Counter<'kind'>;
  readonly recordsRead: Counter;
  readonly poisonCopied: Counter;
  readonly errors: Counter<'operation'>;
  readonly callSeconds: Histogram<'operation'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.millisBehindLatest = new Gauge({
      name: 'ecs_state_ingestor_kinesis_millis_behind_latest',
      help: "How far this replica's reader of a shard is behind the shard's newest record (GetRecords' MillisBehindLatest), per shard it holds",
      labelNames: ['shard'],
      registers,
    });
    this.leasesHeld = new Gauge({ name: 'ecs_state_ingestor_kinesis_leases_held', help: 'Shard leases this replica holds', registers });
    this.leasesAcquired = new Counter({
      name: 'ecs_state_ingestor_kinesis_leases_acquired_total',
      help: 'Shard leases taken: at start, after a reshard, from a replica that released or died',
      registers,
    });
    this.checkpoints = new Counter({
      name: 'ecs_state_ingestor_kinesis_checkpoints_total',
      help: 'Shard checkpoints written to etcd, after the records before them were durable (kind: sequence or shard_end)',
      labelNames: ['kind'],
      registers,
    });
    this.recordsRead = new Counter({ name: 'ecs_state_ingestor_kinesis_records_read_total', help: 'Kinesis records read (GetRecords)', registers });
    this.poisonCopied = new Counter({
      name: 'ecs_state_ingestor_kinesis_poison_records_copied_total',
      help: 'Rejected records copied to KINESIS_POISON_QUEUE_URL',
      registers,
    });
    this.errors = new Counter({
      name: 'ecs_state_ingestor_kinesis_errors_total',
      help: 'Failed Kinesis calls, lost checkpoints and failed poison copies, by operation',
      labelNames: ['operation'],
      registers,
    });
    this.callSeconds = new Histogram({
      name: 'ecs_state_ingestor_kinesis_call_seconds',
      help: 'Duration of a Kinesis call as the ingestor waits for it',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
