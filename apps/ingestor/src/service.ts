import { ClusterStateStore, createEtcdClient, createEtcdStatusWatch } from '@ecs-state/etcd-store';
import {
  BatchProcessor,
  IngestMetrics,
  Ingestor,
  meteredWriter,
  QueueClient,
  ThreadedQueue,
  WriteBatcher,
  type EventSource,
  type MessageQueue,
  type QueueTarget,
} from '@ecs-state/ingestion';
import { createMetricsRegistry, retryUntilAvailable, startOpsServer, type Logger } from '@ecs-state/service-runtime';
import { existsSync } from 'node:fs';
import type { Registry } from 'prom-client';
import { extname, join } from 'node:path';
import type { IngestorConfig } from './config';
import { openKinesisSource } from './kinesis-source';

export interface RunningIngestor {
  readonly opsPort: number;
  readonly registry: Registry;
  /** Stops receiving, finishes in-flight batches and releases every connection. */
  stop(): Promise<void>;
}

/** The SQS thread's entry point: beside this file, as a source file or as its bundle. */
const SQS_THREAD_ENTRY = join(__dirname, `sqs-thread.worker${extname(__filename)}`);

function openQueue(config: IngestorConfig, logger: Logger): Promise<MessageQueue> {
  const { settings } = config;
  const target: QueueTarget = {
    ...(settings.QUEUE_URL ? { queueUrl: settings.QUEUE_URL } : {}),
    ...(settings.QUEUE_NAME ? { queueName: settings.QUEUE_NAME } : {}),
  };
  // Region, endpoint and credentials come from the SDK's standard variables (worker threads share the environment).
  return settings.INGEST_SQS_THREAD
    ? ThreadedQueue.open({ entry: SQS_THREAD_ENTRY, pollers: settings.INGEST_POLLERS, target, logger })
    : QueueClient.open({ pollers: settings.INGEST_POLLERS, target });
}

/** Opens the queue, retrying with backoff: at boot SQS (or the network to it) may not be reachable yet. */
function resolveQueue(config: IngestorConfig, logger: Logger, signal: AbortSignal): Promise<MessageQueue> {
  return retryUntilAvailable(() => openQueue(config, logger), {
    what: 'resolve the SQS queue',
    logger,
    meta: { queueName: config.settings.QUEUE_NAME },
    signal,
  });
}

export async function startIngestorService(config: IngestorConfig, logger: Logger): Promise<RunningIngestor> {
  const { settings } = config;
  // A broken build or image is not an outage to wait out: say so at once instead of retrying.
  if (settings.INGEST_SQS_THREAD && !existsSync(SQS_THREAD_ENTRY)) {
    throw new Error(`the SQS thread's entry point ${SQS_THREAD_ENTRY} is missing (set INGEST_SQS_THREAD=false to run without it)`);
  }
  const etcd = createEtcdClient(config.etcd);
  const store = new ClusterStateStore({ client: etcd, prefix: config.etcd.prefix });
  const registry = createMetricsRegistry('ingestor');
  const metrics = new IngestMetrics(registry, () => store.roundTrips().conflicts);
  const etcdStatus = createEtcdStatusWatch({
    client: etcd,
    config: config.etcd,
    registry,
    lastWriteAt: () => store.lastWriteAt(),
    log: logger,
    whileFull: 'receiving paused, messages wait in the queue',
  });
  etcdStatus.start();
  const startup = new AbortController();
  // Filled in once the queue or stream is resolved; until then the process is alive but not ready.
  const started: { queue?: MessageQueue; ingestor?: EventSource; sourceReady?: () => boolean } = {};
  const kinesis = config.source.EVENT_SOURCE === 'kinesis';

  const ops = await startOpsServer({
    port: settings.METRICS_PORT,
    registry,
    isShuttingDown: () => started.ingestor?.stopping ?? startup.signal.aborted,
    readiness: [
      { name: 'etcd', check: async () => (await store.currentRevision()) > 0 && etcdStatus.assertWritable() },
      kinesis
        ? // Holding the lease session and syncing shards: a replica cut off from etcd is not ready.
          { name: 'kinesis', check: async () => started.sourceReady?.() ?? false }
        : { name: 'sqs', check: async () => (started.queue ? (await started.queue.attributes(), true) : false) },
    ],
  });

  const stopEarly = async () => {
    startup.abort();
    etcdStatus.stop();
    await ops.close();
    etcd.close();
  };
  // The ingestor stops first: it finishes its in-flight batches while etcd and the source are still open.
  const running = (ingestor: EventSource, closeSource: () => unknown): RunningIngestor => ({
    opsPort: ops.port,
    registry,
    async stop() {
      await ingestor.stop();
      etcdStatus.stop();
      await ops.close();
      await store.close();
      etcd.close();
      await closeSource();
    },
  });
  const batcher = new WriteBatcher(meteredWriter(store, metrics, { serviceEventsLimit: settings.SERVICE_EVENTS_LIMIT }), settings.INGEST_WRITE_BATCH, settings.INGEST_WRITES_IN_FLIGHT);
  if (kinesis) {
    let source;
    try {
      source = await openKinesisSource({
        source: config.source,
        etcd,
        prefix: config.etcd.prefix,
        batcher,
        metrics,
        registry,
        logger,
        maxMessageBytes: settings.INGEST_MAX_MESSAGE_BYTES,
        writeBatch: settings.INGEST_WRITE_BATCH,
        writeGate: etcdStatus,
        signal: startup.signal,
      });
    } catch (err) {
      await stopEarly();
      throw err;
    }
    const { ingestor } = source;
    started.ingestor = ingestor;
    started.sourceReady = () => ingestor.ready();
    ingestor.start();
    logger.info('ingesting', { streamArn: source.streamArn, writesInFlight: settings.INGEST_WRITES_IN_FLIGHT, opsPort: ops.port });
    return running(ingestor, () => source.close());
  }

  let queue: MessageQueue;
  try {
    queue = await resolveQueue(config, logger, startup.signal);
  } catch (err) {
    await stopEarly();
    throw err;
  }

  void queue.attributes().then(
    (attrs) => {
      if (attrs.maxReceiveCount === undefined) {
        logger.warn(
          'the queue has no redrive policy: rejected messages will be retried forever (every INGEST_REJECTED_VISIBILITY_TIMEOUT seconds) instead of moving to a dead-letter queue',
          { queueUrl: queue.queueUrl },
        );
      } else {
        logger.info('queue ready', { queueUrl: queue.queueUrl, maxReceiveCount: attrs.maxReceiveCount, deadLetterQueue: attrs.deadLetterTargetArn });
      }
    },
    () => undefined,
  );

  const processor = new BatchProcessor({
    queue,
    batcher,
    metrics,
    logger,
    maxMessageBytes: settings.INGEST_MAX_MESSAGE_BYTES,
    rejectedVisibilitySeconds: settings.INGEST_REJECTED_VISIBILITY_TIMEOUT,
  });
  started.queue = queue;
  const ingestor = new Ingestor({
    queue,
    processor,
    metrics,
    logger,
    pollers: settings.INGEST_POLLERS,
    maxMessagesPerReceive: settings.INGEST_RECEIVE_BATCH,
    waitSeconds: settings.INGEST_WAIT_SECONDS,
    visibilityTimeoutSeconds: settings.INGEST_VISIBILITY_TIMEOUT,
    writeGate: etcdStatus,
  });
  started.ingestor = ingestor;
  ingestor.start();
  logger.info('ingesting', {
    queueUrl: queue.queueUrl,
    pollers: settings.INGEST_POLLERS,
    sqsThread: settings.INGEST_SQS_THREAD,
    writesInFlight: settings.INGEST_WRITES_IN_FLIGHT,
    opsPort: ops.port,
  });

  return running(ingestor, () => queue.close());
}
