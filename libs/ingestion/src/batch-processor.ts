import { parseEventMessage, type StateRecord } from '@ecs-state/domain';
import type { UpsertOutcome } from '@ecs-state/etcd-store';
import type { Logger } from 'winston';
import type { IngestMetrics } from './ingest-metrics';
import type { MessageQueue, ReceivedMessage } from './message-queue';
import type { WriteBatcher } from './write-batcher';

export interface BatchProcessorOptions {
  queue: MessageQueue;
  batcher: WriteBatcher<StateRecord, UpsertOutcome>;
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

/** Prometheus label values must stay few: anything unexpected is folded into `other`. */
function detailTypeLabel(detailType: string): string {
  return /^[A-Za-z][A-Za-z ]{0,63}$/.test(detailType) ? detailType : 'other';
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
    const toWrite: { message: ReceivedMessage; record: StateRecord; eventTime: string }[] = [];
    const acknowledged: ReceivedMessage[] = [];
    const rejected: ReceivedMessage[] = [];

    for (const message of messages) {
      const outcome = parseEventMessage(message.body, { maxBytes: this.options.maxMessageBytes });
      if (outcome.ok) {
        const record: StateRecord =
          outcome.kind === 'task' ? { kind: 'task', record: outcome.record } : { kind: 'instance', record: outcome.record };
        toWrite.push({ message, record, eventTime: outcome.event.time });
      } else if (outcome.ignored) {
        metrics.ignored.inc({ detail_type: detailTypeLabel(outcome.detailType) });
        acknowledged.push(message);
      } else {
        rejected.push(message);
        // Logged and counted once: later receives of the same message are on
        // their way to the dead-letter queue and would only repeat the news.
        if (message.receiveCount <= 1) {
          metrics.rejected.inc({ reason: outcome.reason });
          logger.warn('rejected message', {
            messageId: message.messageId,
            reason: outcome.reason,
            detail: outcome.message,
          });
        } else {
          metrics.rejectedRedeliveries.inc();
          logger.debug('rejected message received again', {
            messageId: message.messageId,
            reason: outcome.reason,
            receiveCount: message.receiveCount,
          });
        }
      }
    }

    // Hiding rejected messages does not depend on etcd, and must happen even if
    // the write below fails, or they would come back at the poll rate.
    const hide = rejected.length > 0 ? this.hide(rejected) : Promise.resolve();

    let written: ReceivedMessage[] = [];
    try {
      if (toWrite.length > 0) {
        const outcomes = await this.options.batcher.submit(toWrite.map((w) => w.record));
        const now = this.now();
        outcomes.forEach((o, i) => {
          const w = toWrite[i]!;
          if (o.status === 'applied') {
            metrics.applied.inc({ kind: w.record.kind });
            const lag = (now - Date.parse(w.eventTime)) / 1000;
            if (Number.isFinite(lag)) metrics.eventLag.observe(Math.max(0, lag));
          } else {
            metrics.stale.inc({ kind: w.record.kind });
          }
        });
        written = toWrite.map((w) => w.message);
      }
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
