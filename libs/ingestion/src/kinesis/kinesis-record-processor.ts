import type { StateRecord } from '@ecs-state/domain';
import type { WriteOutcome } from '../metered-writer';
import type { Logger } from 'winston';
import { parseEvents, type ToWrite } from '../event-parsing';
import type { IngestMetrics } from '../ingest-metrics';
import { writeRecords } from '../record-writing';
import type { WriteBatcher } from '../write-batcher';
import type { KinesisMetrics } from './kinesis-metrics';
import type { StreamRecord } from './kinesis-stream-client';
import type { PoisonQueue, PoisonRecord } from './poison-queue';

export interface KinesisRecordProcessorOptions {
  batcher: WriteBatcher<StateRecord, WriteOutcome>;
  metrics: IngestMetrics;
  kinesisMetrics: KinesisMetrics;
  logger: Logger;
  maxMessageBytes: number;
  /** Records per submission to the batcher, so that a page of thousands coalesces with other shards' pages. */
  writeBatch: number;
  poisonQueue?: PoisonQueue;
  now?: () => number;
}

/** One GetRecords page, parsed once; commit() may be retried until it succeeds. */
export interface ParsedPage {
  readonly shardId: string;
  readonly toWrite: ToWrite<StreamRecord>[];
  readonly poison: PoisonRecord[];
}

const decoder = new TextDecoder('utf-8');

/**
 * Kinesis records through the same parse → batched newer-wins write path as SQS
 * messages. A page is parsed (and its rejected records logged and counted) once;
 * committing it writes the records and copies the rejected ones to the poison
 * queue, and resolves only when all of that is durable: the caller checkpoints then.
 */
export class KinesisRecordProcessor {
  private readonly now: () => number;
  /**
   * The poison records of a page that SQS has taken, so that a commit retried after
   * a failed write (or a partly refused copy) copies each of them once. A crash
   * before the checkpoint forgets them: the page is read and copied again.
   */
  private readonly copied = new WeakMap<ParsedPage, Set<PoisonRecord>>();

  constructor(private readonly options: KinesisRecordProcessorOptions) {
    this.now = options.now ?? Date.now;
  }

  parse(shardId: string, records: readonly StreamRecord[]): ParsedPage {
    const { metrics, kinesisMetrics, logger } = this.options;
    kinesisMetrics.recordsRead.inc(records.length);
    const parsed = parseEvents(records, (r) => decoder.decode(r.data), this.options.maxMessageBytes, metrics);
    const poison: PoisonRecord[] = [];
    for (const { item, reason, detail } of parsed.rejected) {
      metrics.rejected.inc({ reason });
      logger.warn('rejected record', { shardId, sequenceNumber: item.sequenceNumber, partitionKey: item.partitionKey, reason, detail });
      poison.push({ shardId, sequenceNumber: item.sequenceNumber, partitionKey: item.partitionKey, data: item.data, reason });
    }
    return { shardId, toWrite: parsed.toWrite, poison };
  }

  /** Copies the page's poison records SQS has not taken yet. */
  private async copyPoison(queue: PoisonQueue, page: ParsedPage): Promise<void> {
    const { kinesisMetrics } = this.options;
    let copied = this.copied.get(page);
    if (!copied) {
      copied = new Set();
      this.copied.set(page, copied);
    }
    const taken = copied;
    const uncopied = page.poison.filter((record) => !taken.has(record));
    if (uncopied.length === 0) return;
    try {
      await queue.copy(uncopied, (record) => {
        taken.add(record);
        kinesisMetrics.poisonCopied.inc();
      });
    } catch (error) {
      kinesisMetrics.errors.inc({ operation: 'PoisonCopy' });
      throw error;
    }
  }

  async commit(page: ParsedPage): Promise<void> {
    const { batcher, metrics, writeBatch, poisonQueue } = this.options;
    const writes: Promise<void>[] = [];
    for (let i = 0; i < page.toWrite.length; i += writeBatch) {
      writes.push(writeRecords(batcher, page.toWrite.slice(i, i + writeBatch), metrics, this.now));
    }
    if (poisonQueue && page.poison.length > 0) writes.push(this.copyPoison(poisonQueue, page));
    // Every write settles before the verdict, so a retry never overlaps one still in flight.
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
