import { ExpiredIteratorException } from '@aws-sdk/client-kinesis';
import type { LeaseSession, ShardCheckpoint, ShardLeaseTable } from '@ecs-state/etcd-store';
import { Backoff, sleep } from '@ecs-state/service-runtime';
import type { Logger } from 'winston';
import type { WriteGate } from '../ingestor';
import type { KinesisMetrics } from './kinesis-metrics';
import type { KinesisRecordProcessor, ParsedPage } from './kinesis-record-processor';
import type { KinesisStreamClient } from './kinesis-stream-client';
import { describeError } from '../error-description';

/** Why a reader ended: its shard was read to its end, it was asked to stop, or it no longer holds the shard. */
export type ReaderOutcome = 'ended' | 'stopped' | 'lost';

export interface ShardReaderOptions {
  shardId: string;
  streamArn: string;
  client: KinesisStreamClient;
  table: ShardLeaseTable;
  session: LeaseSession;
  processor: KinesisRecordProcessor;
  metrics: KinesisMetrics;
  logger: Logger;
  /** Where to resume: just after this checkpoint; from the shard's oldest record without one. */
  from: ShardCheckpoint | undefined;
  getRecordsLimit: number;
  /** Pause after a page that reached the shard's tip (Kinesis allows 5 GetRecords per shard per second). */
  idlePollMs: number;
  writeGate?: WriteGate;
  backoff?: () => Backoff;
}

/**
 * Reads one shard while this replica holds its lease: a page of records, their
 * write through the processor, then the checkpoint of the page's last sequence
 * number, conditional on the lease. Nothing is checkpointed before it is
 * durable, so a replica that dies between the two loses nothing: its successor
 * reads the page again from the checkpoint, and newer-wins makes that harmless.
 */
export class ShardReader {
  private readonly abort = new AbortController();
  private position: ShardCheckpoint | undefined;

  constructor(private readonly options: ShardReaderOptions) {
    this.position = options.from;
  }

  get shardId(): string {
    return this.options.shardId;
  }

  /** Asks the reader to stop after the page in hand is written and checkpointed. */
  stop(): void {
    this.abort.abort();
  }

  async run(): Promise<ReaderOutcome> {
    const { client, streamArn, shardId, metrics, logger, session } = this.options;
    const signal = this.abort.signal;
    const backoff = this.options.backoff?.() ?? new Backoff(200, 10_000);
    let iterator: string | undefined;
    try {
      while (!signal.aborted) {
        if (!session.holds()) return 'lost';
        if (this.options.writeGate?.writesRefused()) {
          await sleep(500, signal);
          continue;
        }
        let page;
        try {
          iterator ??= await client.iterator(streamArn, shardId, this.position);
          page = await client.getRecords(streamArn, iterator, this.options.getRecordsLimit);
        } catch (err) {
          // An iterator lives five minutes; a new one from the position in hand loses nothing.
          iterator = undefined;
          if (err instanceof ExpiredIteratorException) continue;
          const delay = backoff.next();
          logger.warn('reading the shard failed; backing off', { shardId, delayMs: delay, error: describeError(err) });
          await sleep(delay, signal);
          continue;
        }
        metrics.millisBehindLatest.set({ shard: shardId }, page.millisBehindLatest);
        if (page.records.length > 0) {
          const last = page.records[page.records.length - 1]?.sequenceNumber as string;
          const written = await this.commit(this.options.processor.parse(shardId, page.records), backoff);
          if (written !== 'written') return written;
          if (!(await this.checkpoint({ kind: 'sequence', sequenceNumber: last }))) return 'lost';
        }
        backoff.reset();
        if (page.nextIterator === undefined) {
          // A closed shard read to its end: its children may start.
          return (await this.checkpoint({ kind: 'shardEnd' })) ? 'ended' : 'lost';
        }
        iterator = page.nextIterator;
        if (page.millisBehindLatest === 0 || page.records.length === 0) await sleep(this.options.idlePollMs, signal);
      }
      return 'stopped';
    } finally {
      metrics.millisBehindLatest.remove({ shard: shardId });
    }
  }

  /**
   * Writes a page, retrying with backoff while etcd fails. A stop request does not
   * interrupt it: the page is finished so that its checkpoint can follow; only the
   * loss of the lease does (the shard's new holder reads the page again).
   */
  private async commit(page: ParsedPage, backoff: Backoff): Promise<'written' | 'lost'> {
    const { processor, logger, session, shardId } = this.options;
    for (;;) {
      try {
        await processor.commit(page);
        return 'written';
      } catch (err) {
        const delay = backoff.next();
        logger.error('writing a page of the shard failed; retrying', { shardId, records: page.toWrite.length, delayMs: delay, error: describeError(err) });
        await sleep(delay);
        if (!session.holds()) return 'lost';
      }
    }
  }

  /** Writes the checkpoint, retrying while etcd fails; false once the shard is no longer this replica's. */
  private async checkpoint(checkpoint: ShardCheckpoint): Promise<boolean> {
    const { table, session, shardId, metrics, logger } = this.options;
    const backoff = new Backoff(100, 5_000);
    for (;;) {
      if (!session.holds()) return false;
      try {
        if (await table.checkpoint(session, shardId, checkpoint)) break;
        metrics.errors.inc({ operation: 'Checkpoint' });
        logger.warn('the shard was lost before its checkpoint: another replica holds it now', { shardId });
        return false;
      } catch (err) {
        metrics.errors.inc({ operation: 'Checkpoint' });
        const delay = backoff.next();
        logger.warn('writing the checkpoint failed; retrying', { shardId, delayMs: delay, error: describeError(err) });
        await sleep(delay);
      }
    }
    metrics.checkpoints.inc({ kind: checkpoint.kind === 'shardEnd' ? 'shard_end' : 'sequence' });
    this.position = checkpoint;
    return true;
  }
}
