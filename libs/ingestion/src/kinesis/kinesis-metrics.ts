import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The Kinesis source's metric names. */
export const KINESIS_METRICS = {
  millisBehindLatest: 'ecs_state_ingestor_kinesis_millis_behind_latest',
  leasesHeld: 'ecs_state_ingestor_kinesis_leases_held',
  leasesAcquired: 'ecs_state_ingestor_kinesis_leases_acquired_total',
  checkpoints: 'ecs_state_ingestor_kinesis_checkpoints_total',
  recordsRead: 'ecs_state_ingestor_kinesis_records_read_total',
  poisonCopied: 'ecs_state_ingestor_kinesis_poison_records_copied_total',
  errors: 'ecs_state_ingestor_kinesis_errors_total',
  callSeconds: 'ecs_state_ingestor_kinesis_call_seconds',
} as const;

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
      name: KINESIS_METRICS.millisBehindLatest,
      help: "How far this replica's reader of a shard is behind the shard's newest record (GetRecords' MillisBehindLatest), per shard it holds",
      labelNames: ['shard'],
      registers,
    });
    this.leasesHeld = new Gauge({ name: KINESIS_METRICS.leasesHeld, help: 'Shard leases this replica holds', registers });
    this.leasesAcquired = new Counter({
      name: KINESIS_METRICS.leasesAcquired,
      help: 'Shard leases taken: at start, after a reshard, from a replica that released or died',
      registers,
    });
    this.checkpoints = new Counter({
      name: KINESIS_METRICS.checkpoints,
      help: 'Shard checkpoints written to etcd, after the records before them were durable (kind: sequence or shard_end)',
      labelNames: ['kind'],
      registers,
    });
    this.recordsRead = new Counter({ name: KINESIS_METRICS.recordsRead, help: 'Kinesis records read (GetRecords)', registers });
    this.poisonCopied = new Counter({
      name: KINESIS_METRICS.poisonCopied,
      help: 'Rejected records copied to KINESIS_POISON_QUEUE_URL',
      registers,
    });
    this.errors = new Counter({
      name: KINESIS_METRICS.errors,
      help: 'Failed Kinesis calls, lost checkpoints and failed poison copies, by operation',
      labelNames: ['operation'],
      registers,
    });
    this.callSeconds = new Histogram({
      name: KINESIS_METRICS.callSeconds,
      help: 'Duration of a Kinesis call as the ingestor waits for it',
      labelNames: ['operation'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }
}
