import { Backoff, sleep } from '@ecs-state/service-runtime';
import type { Logger } from 'winston';
import type { BatchProcessor } from './batch-processor';
import type { EventSource } from './event-source';
import type { IngestMetrics } from './ingest-metrics';
import type { MessageQueue } from './message-queue';
import { describeError } from './error-description';

/** What the loops learn from and ask about etcd's ability to take writes (an EtcdStatusMonitor). */
export interface WriteGate {
  /** True while etcd refuses writes (an alarm such as NOSPACE is raised). */
  writesRefused(): boolean;
  /** A batch write failed; the gate may look at etcd at once. */
  noteWriteError(error: unknown): void;
}

export interface IngestorOptions {
  queue: MessageQueue;
  processor: BatchProcessor;
  metrics: IngestMetrics;
  logger: Logger;
  /** Concurrent long-poll loops. */
  pollers: number;
  maxMessagesPerReceive: number;
  waitSeconds: number;
  visibilityTimeoutSeconds: number;
  /**
   * While it refuses writes the loops receive nothing: every receive of a message
   * counts towards the queue's maxReceiveCount, so messages received only to fail
   * would end in the dead-letter queue during a long outage instead of waiting.
   */
  writeGate?: WriteGate;
  /** How often a paused loop looks at the gate again. */
  gatePollMs?: number;
  backoff?: () => Backoff;
}

/**
 * Runs the long-poll loops. A loop whose receive or write fails backs off with
 * jitter and tries again, so an SQS or etcd outage delays work and recovers by
 * itself; stop() ends the polls and waits for the batches in flight.
 */
export class Ingestor implements EventSource {
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];

  constructor(private readonly options: IngestorOptions) {}

  start(): void {
    if (this.loops.length > 0) throw new Error('ingestor already started');
    for (let i = 0; i < this.options.pollers; i++) this.loops.push(this.loop(i));
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** Stops receiving and resolves once every in-flight batch is finished. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.options.queue.interruptReceives();
    await Promise.all(this.loops);
  }

  private async loop(index: number): Promise<void> {
    const { queue, processor, metrics, logger } = this.options;
    const signal = this.abort.signal;
    const backoff = this.options.backoff?.() ?? new Backoff(200, 30_000);
    while (!signal.aborted) {
      if (this.options.writeGate?.writesRefused()) {
        await sleep(this.options.gatePollMs ?? 500, signal);
        continue;
      }
      let received;
      const endReceive = metrics.sqsLatency.startTimer({ operation: 'ReceiveMessage' });
      try {
        received = await queue.receive({
          maxMessages: this.options.maxMessagesPerReceive,
          waitSeconds: this.options.waitSeconds,
          visibilityTimeout: this.options.visibilityTimeoutSeconds,
        });
        endReceive();
      } catch (err) {
        if (signal.aborted) break;
        metrics.sqsErrors.inc({ operation: 'ReceiveMessage' });
        const delay = backoff.next();
        logger.warn('receive failed; backing off', { poller: index, delayMs: delay, error: describeError(err) });
        await sleep(delay, signal);
        continue;
      }
      if (received.malformed > 0) {
        metrics.sqsErrors.inc({ operation: 'ReceiveMessage' }, received.malformed);
        logger.warn('SQS returned messages without id, receipt handle or body', { count: received.malformed });
      }
      if (received.messages.length === 0) continue;
      metrics.received.inc(received.messages.length);
      try {
        await processor.process(received.messages);
        backoff.reset();
      } catch (err) {
        metrics.etcdErrors.inc();
        this.options.writeGate?.noteWriteError(err);
        const delay = backoff.next();
        logger.error('writing to etcd failed; messages stay in the queue and will be retried', {
          poller: index,
          messages: received.messages.length,
          delayMs: delay,
          error: describeError(err),
        });
        await sleep(delay, signal);
      }
    }
  }
}
