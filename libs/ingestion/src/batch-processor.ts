import type { StateRecord } from '@ecs-state/domain';
import type { WriteOutcome } from './metered-writer';
import type { Logger } from 'winston';
import { parseEvents } from './event-parsing';
import type { IngestMetrics } from './ingest-metrics';
import type { MessageQueue, ReceivedMessage } from './message-queue';
import { writeRecords } from './record-writing';
import type { WriteBatcher } from './write-batcher';

export interface BatchProcessorOptions {
  queue: MessageQueue;
  batcher: WriteBatcher<StateRecord, WriteOutcome>;
  metrics: IngestMetrics;
  logger: Logger;
  maxMessageBytes: number;
  /** How long a rejected message stays hidden before SQS hands it out again (towards its dead-letter queue). */
  rejectedVisibilitySeconds: number;
  now?: () => number;
}

export interface BatchResult {
  written: number;
  ignored: number;
  rejected: number;
}

/**
 * Handles one receive's messages: parse, write the records (newer wins), and
 * only then delete the messages whose effect is durable. A failed write throws
 * before any of those deletions, so the messages reappear after their
 * visibility timeout and nothing is lost.
 */
export class BatchProcessor {
  private readonly now: () => number;

  constructor(private readonly options: BatchProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  async process(messages: ReceivedMessage[]): Promise<BatchResult> {
    const { metrics, logger } = this.options;
    const { toWrite, ignored: acknowledged, rejected: rejections } = parseEvents(messages, (m) => m.body, this.options.maxMessageBytes, metrics);
    const rejected = rejections.map((r) => r.item);
    for (const { item: message, reason, detail } of rejections) {
      // Logged and counted once: later receives of the same message are on
      // their way to the dead-letter queue and would only repeat the news.
      if (message.receiveCount <= 1) {
        metrics.rejected.inc({ reason });
        logger.warn('rejected message', { messageId: message.messageId, reason, detail });
      } else {
        metrics.rejectedRedeliveries.inc();
        logger.debug('rejected message received again', { messageId: message.messageId, reason, receiveCount: message.receiveCount });
      }
    }

    // Hiding rejected messages does not depend on etcd, and must happen even if
    // the write below fails, or they would come back at the poll rate.
    const hide = rejected.length > 0 ? this.hide(rejected) : Promise.resolve();

    let written: ReceivedMessage[] = [];
    try {
      await writeRecords(this.options.batcher, toWrite, metrics, this.now);
      written = toWrite.map((w) => w.item);
    } finally {
      // Ignored events never needed etcd, so they are acknowledged even when the write failed.
      await Promise.all([hide, this.delete([...acknowledged, ...written])]);
    }
    return { written: written.length, ignored: acknowledged.length, rejected: rejected.length };
  }

  private async delete(messages: ReceivedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const { metrics, logger, queue } = this.options;
    const end = metrics.sqsLatency.startTimer({ operation: 'DeleteMessageBatch' });
    try {
      const failures = await queue.deleteBatch(messages);
      end();
      metrics.deleted.inc(messages.length - failures.length);
      if (failures.length > 0) {
        metrics.sqsErrors.inc({ operation: 'DeleteMessageBatch' }, failures.length);
        // The message comes back and is applied again: harmless, since the write is idempotent.
        logger.warn('SQS refused some deletions; those messages will be processed again', { failures });
      }
    } catch (err) {
      metrics.sqsErrors.inc({ operation: 'DeleteMessageBatch' });
      logger.warn('could not delete messages; they will be processed again', {
        count: messages.length,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private async hide(messages: ReceivedMessage[]): Promise<void> {
    const { metrics, logger, queue } = this.options;
    const end = metrics.sqsLatency.startTimer({ operation: 'ChangeMessageVisibilityBatch' });
    try {
      const failures = await queue.changeVisibilityBatch(messages, this.options.rejectedVisibilitySeconds);
      end();
      if (failures.length > 0) metrics.sqsErrors.inc({ operation: 'ChangeMessageVisibilityBatch' }, failures.length);
    } catch (err) {
      metrics.sqsErrors.inc({ operation: 'ChangeMessageVisibilityBatch' });
      logger.warn('could not extend the visibility of rejected messages', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
}
