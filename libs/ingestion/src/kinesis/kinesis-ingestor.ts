import { LeaseSession, ShardLeaseTable } from '@ecs-state/etcd-store';
import { Backoff, sleep } from '@ecs-state/service-runtime';
import type { Etcd3 } from 'etcd3';
import type { Logger } from 'winston';
import type { EventSource } from '../event-source';
import type { WriteGate } from '../ingestor';
import type { KinesisMetrics } from './kinesis-metrics';
import type { KinesisRecordProcessor } from './kinesis-record-processor';
import type { KinesisStreamClient } from './kinesis-stream-client';
import { ShardReader, type ReaderOutcome } from './shard-reader';
import { leaseTarget, readyShards } from './shard-planning';
import { describeError } from '../error-description';

export interface KinesisIngestorOptions {
  client: KinesisStreamClient;
  /** The stream's ARN (DescribeStreamSummary): it names the coordination keys. */
  streamArn: string;
  etcd: Etcd3;
  /** ETCD_PREFIX: the leases and checkpoints live beside it. */
  prefix: string;
  /** This replica's name among the stream's readers; unique per process. */
  owner: string;
  processor: KinesisRecordProcessor;
  metrics: KinesisMetrics;
  logger: Logger;
  leaseTtlSeconds: number;
  /** How often shards, leases and members are looked at again. */
  syncIntervalMs: number;
  getRecordsLimit: number;
  idlePollMs: number;
  writeGate?: WriteGate;
}

interface RunningReader {
  reader: ShardReader;
  done: Promise<ReaderOutcome>;
  /** Set when this replica gives the shard back to balance the load. */
  handingOver: boolean;
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Reads a Kinesis stream together with the other replicas pointed at it. Each
 * replica holds an etcd lease session and registers as a member; every sync it
 * lists the shards, reads leases and checkpoints, and takes free shards that
 * are ready (parents read to their end) up to an even share, giving back what is
 * above it. A reader per held shard does the work (ShardReader). When the
 * session is lost every reader stops at once; a new session is opened and the
 * shards are taken again from their checkpoints.
 */
export class KinesisIngestor implements EventSource {
  private readonly abort = new AbortController();
  private readonly table: ShardLeaseTable;
  private readonly readers = new Map<string, RunningReader>();
  private session: LeaseSession | null = null;
  private loop: Promise<void> | null = null;
  private wake: AbortController = new AbortController();
  private lastSyncAt = 0;

  constructor(private readonly options: KinesisIngestorOptions) {
    this.table = new ShardLeaseTable({ client: options.etcd, prefix: options.prefix, stream: options.streamArn, owner: options.owner });
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  get heldShards(): string[] {
    return [...this.readers.keys()].sort();
  }

  /** For /readyz: the session is alive and the last sync happened within a few intervals. */
  ready(): boolean {
    return this.session !== null && this.session.holds() && Date.now() - this.lastSyncAt < Math.max(3 * this.options.syncIntervalMs, this.options.leaseTtlSeconds * 1000);
  }

  start(): void {
    if (this.loop) throw new Error('ingestor already started');
    this.loop = this.run();
  }

  /** Lets every reader finish and checkpoint its page, then revokes the session so that others take the shards at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake.abort();
    await this.loop;
    for (const r of this.readers.values()) r.reader.stop();
    await Promise.all([...this.readers.values()].map((r) => r.done));
    await this.session?.revoke();
    this.session = null;
    this.options.metrics.leasesHeld.set(0);
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(200, 10_000);
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        // Replaced before the sync, so that a reader ending during it cuts the next pause short.
        this.wake = new AbortController();
        await this.sync();
        backoff.reset();
        this.lastSyncAt = Date.now();
        await sleep(this.options.syncIntervalMs, AbortSignal.any([signal, this.wake.signal]));
      } catch (err) {
        if (signal.aborted) break;
        const delay = backoff.next();
        this.options.logger.warn('shard coordination failed; backing off', { delayMs: delay, error: describeError(err) });
        await sleep(delay, signal);
      }
    }
  }

  private async openSession(): Promise<LeaseSession> {
    const session = await LeaseSession.open({
      client: this.options.etcd,
      ttlSeconds: this.options.leaseTtlSeconds,
      onLost: (reason) => this.onSessionLost(session, reason),
    });
    await this.table.join(session);
    this.options.logger.info('joined the stream readers', { streamArn: this.options.streamArn, owner: this.options.owner });
    return session;
  }

  private onSessionLost(session: LeaseSession, reason: string): void {
    if (this.session !== session || this.stopping) return;
    this.options.logger.error('the etcd lease of this replica was lost: every shard reader stops, and shards are taken again from their checkpoints', {
      reason,
      shards: this.heldShards,
    });
    this.session = null;
    for (const r of this.readers.values()) r.reader.stop();
    this.wake.abort();
  }

  private async sync(): Promise<void> {
    const { client, streamArn, logger, metrics } = this.options;
    if (this.session && !this.session.holds()) this.session = null;
    // Readers of a lost session finish before a new session takes any shard.
    if (this.session === null) {
      await Promise.all([...this.readers.values()].map((r) => r.done));
      this.session = await this.openSession();
    }
    const session = this.session;
    const [shards, state] = await Promise.all([client.listShards(streamArn), this.table.read()]);
    const ready = readyShards(shards, state.checkpoints);
    const target = leaseTarget(ready.length, state.members.length);
    const active = [...this.readers.values()].filter((r) => !r.handingOver);

    if (active.length > target) {
      for (const r of active.slice(target)) {
        r.handingOver = true;
        r.reader.stop();
        logger.info('handing a shard over to balance the replicas', { shardId: r.reader.shardId, target });
      }
    } else if (active.length < target) {
      let wanted = target - active.length;
      for (const shardId of shuffled(ready.filter((id) => !state.leases.has(id) && !this.readers.has(id)))) {
        if (wanted === 0 || this.stopping || !session.holds()) break;
        if (!(await this.table.tryAcquire(session, shardId))) continue;
        wanted -= 1;
        metrics.leasesAcquired.inc();
        const from = await this.table.checkpointOf(shardId);
        logger.info('reading a shard', { shardId, from: from?.kind === 'sequence' ? from.sequenceNumber : 'TRIM_HORIZON' });
        this.startReader(session, shardId, from);
      }
    }
    metrics.leasesHeld.set(this.readers.size);
  }

  private startReader(session: LeaseSession, shardId: string, from: Awaited<ReturnType<ShardLeaseTable['checkpointOf']>>): void {
    const o = this.options;
    const reader = new ShardReader({
      shardId,
      streamArn: o.streamArn,
      client: o.client,
      table: this.table,
      session,
      processor: o.processor,
      metrics: o.metrics,
      logger: o.logger,
      from,
      getRecordsLimit: o.getRecordsLimit,
      idlePollMs: o.idlePollMs,
      ...(o.writeGate ? { writeGate: o.writeGate } : {}),
    });
    const running: RunningReader = { reader, handingOver: false, done: Promise.resolve('stopped') };
    running.done = reader
      .run()
      .catch((err: unknown) => {
        o.logger.error('a shard reader failed', { shardId, error: describeError(err) });
        return 'stopped' as const;
      })
      .then(async (outcome) => {
        // Given back only when this replica chose to; at shutdown the session's revocation frees every shard at once.
        if (outcome === 'stopped' && running.handingOver && !this.stopping) await this.table.release(session, shardId).catch(() => undefined);
        if (outcome === 'ended') o.logger.info('shard read to its end; its children may start', { shardId });
        this.readers.delete(shardId);
        o.metrics.leasesHeld.set(this.readers.size);
        // A finished shard frees its children and a freed slot may take another shard: look again now.
        if (!this.stopping) this.wake.abort();
        return outcome;
      });
    this.readers.set(shardId, running);
  }
}
