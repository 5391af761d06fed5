import type { Etcd3 } from 'etcd3';
import { abortable } from './abortable';
import { receiveLimitOf } from './client-receive-limit';
import type { RecordCodec } from './codec';
import { probeCompactRevision } from './compact-revision-probe';
import { deleteIfUnchangedSince, type DeleteOutcome, type DeleteRequest } from './delete-if-unchanged';
import { CompactedRevisionError } from './errors';
import { scanGroups, scanPrefix, type GroupListing, type KeyListing, type RawListing, type ScanOptions } from './key-scan';
import { InFlightWrites } from './in-flight-writes';
import { snapshotPageBytes } from './page-sizer';
import { isFutureRevisionError, KvCalls } from './kv-calls';
import { listPage, toStoredRecord, type ListOptions, type ListPage, type StoredRecord } from './list-snapshot';
import { countUnder, isEmptyUnder, modifiedSince, type ModifiedSince } from './prefix-probes';
import { PrefixWatch, type WatchHandle, type WatchOptions } from './prefix-watch';
import { assertRevision, toRevision } from './revision';
import { RoundTripCounter, type RoundTripStats } from './round-trips';
import { snapshotPages, snapshotPrefix, type SnapshotPage } from './snapshot-pages';
import { DEFAULT_TXN_LIMITS, validateTxnLimits, type TxnLimits } from './txn-limits';
import { mergeRecords, type MergeOutcome } from './merge-records';
import { upsertIfNewer, type UpsertOutcome } from './upsert-if-newer';

export interface VersionedRecordStoreOptions<R> {
  readonly client: Etcd3;
  readonly codec: RecordCodec<R>;
  /** Match etcd's --max-txn-ops / --max-request-bytes if they differ from the defaults. */
  readonly limits?: Partial<TxnLimits>;
  /** Conditional writes of a key, each lost to another writer, before WriteContentionError. */
  readonly maxAttempts?: number;
  /** Most records in one page of snapshot(); pages of large records hold fewer (see snapshotPageBytes). */
  readonly snapshotPageSize?: number;
}

export interface GetResult<R> {
  readonly item: StoredRecord<R> | null;
  /** The etcd revision the read was served at. */
  readonly revision: number;
}

export interface Snapshot<R> {
  readonly items: StoredRecord<R>[];
  readonly revision: number;
}

const DEFAULT_MAX_ATTEMPTS = 16;
// Records of 1.5 KB fill a 16 MiB page (a client of createEtcdClient) with about 10,600; the cap binds for smaller ones.
const DEFAULT_SNAPSHOT_PAGE_SIZE = 10_000;

/**
 * Records of one codec under arbitrary keys, where a write lands only if it is
 * strictly newer than what is stored. See README.md for the guarantees.
 */
export class VersionedRecordStore<R> {
  private readonly client: Etcd3;
  private readonly codec: RecordCodec<R>;
  private readonly kv: KvCalls;
  private readonly limits: TxnLimits;
  private readonly maxAttempts: number;
  private readonly snapshotPageSize: number;
  /** What snapshot pages aim for: as much as the client accepts allows (snapshotPageBytes). */
  private readonly snapshotPageBytes: number;
  private readonly watches = new Set<WatchHandle>();
  private readonly inFlight = new InFlightWrites();

  constructor(options: VersionedRecordStoreOptions<R>) {
    this.client = options.client;
    this.codec = options.codec;
    this.kv = new KvCalls(options.client, new RoundTripCounter());
    this.limits = validateTxnLimits({ ...DEFAULT_TXN_LIMITS, ...options.limits });
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    this.snapshotPageSize = options.snapshotPageSize ?? DEFAULT_SNAPSHOT_PAGE_SIZE;
    this.snapshotPageBytes = snapshotPageBytes(receiveLimitOf(options.client));
  }

  /** etcd calls made by this store so far. */
  roundTrips(): RoundTripStats {
    return this.kv.counter.snapshot();
  }

  /** When etcd last accepted a put or delete of this store (ms since the epoch); undefined before the first. */
  lastWriteAt(): number | undefined {
    return this.kv.lastWriteAt;
  }

  async upsertIfNewer(records: readonly R[]): Promise<UpsertOutcome[]> {
    if (records.length === 0) return [];
    return upsertIfNewer(this.kv, this.codec, records, { limits: this.limits, maxAttempts: this.maxAttempts, inFlight: this.inFlight });
  }

  /**
   * Merges each record into the stored one with `merge` (a join: see mergeRecords) and writes the result
   * unless `unchanged` says it equals what is stored. For records that have no version to compare.
   */
  async mergeRecords(records: readonly R[], merge: (stored: R | undefined, incoming: R) => R, unchanged: (merged: R, stored: R) => boolean): Promise<MergeOutcome[]> {
    if (records.length === 0) return [];
    return mergeRecords(this.kv, this.codec, records, { limits: this.limits, maxAttempts: this.maxAttempts, merge, unchanged });
  }

  async upsertOneIfNewer(record: R): Promise<UpsertOutcome> {
    const [outcome] = await this.upsertIfNewer([record]);
    return outcome as UpsertOutcome;
  }

  async get(key: string): Promise<GetResult<R>> {
    const response = await this.kv.range({ key: Buffer.from(key) });
    const kv = response.kvs[0];
    return { item: kv === undefined ? null : toStoredRecord(this.codec, kv), revision: toRevision(response.header.revision) };
  }

  async list(prefix: string, options: ListOptions): Promise<ListPage<R>> {
    try {
      return await listPage(this.kv, this.codec, prefix, options);
    } catch (error) {
      throw await this.withCompactRevision(error, prefix);
    }
  }

  /**
   * Everything under `prefix` at one revision, read page by page: at most
   * `snapshotPageSize` records a page, fewer when they are large (half the
   * client's receive limit a page, up to 16 MiB: snapshotPageBytes).
   */
  async snapshot(prefix: string, options: { revision?: number } = {}): Promise<Snapshot<R>> {
    try {
      return await snapshotPrefix(this.kv, this.codec, prefix, { ...options, maxPageItems: this.snapshotPageSize, pageBytes: this.snapshotPageBytes });
    } catch (error) {
      throw await this.withCompactRevision(error, prefix);
    }
  }

  /**
   * What `snapshot` reads, a page at a time (see snapshotPages): for a caller
   * that keeps less than every decoded item, e.g. a view of a large prefix.
   */
  async *snapshotPages(prefix: string, options: { revision?: number } = {}): AsyncGenerator<SnapshotPage<R>, void, undefined> {
    try {
      yield* snapshotPages(this.kv, this.codec, prefix, { ...options, maxPageItems: this.snapshotPageSize, pageBytes: this.snapshotPageBytes });
    } catch (error) {
      throw await this.withCompactRevision(error, prefix);
    }
  }

  /** Every key under `prefix` at one revision, without values. */
  async listKeys(prefix: string, options: ScanOptions = {}): Promise<KeyListing> {
    const { kvs, revision } = await this.scan(prefix, true, options);
    return { keys: kvs.map((kv) => kv.key.toString()), revision };
  }

  /**
   * Every key under `prefix` with its value as stored, undecoded, at one
   * revision: for callers that must also see records the codec would reject.
   */
  async listRaw(prefix: string, options: ScanOptions = {}): Promise<RawListing> {
    const { kvs, revision } = await this.scan(prefix, false, options);
    return { entries: kvs.map((kv) => ({ key: kv.key.toString(), value: kv.value })), revision };
  }

  /**
   * The distinct groups under `prefix` (e.g. one per cluster), one round trip
   * per group rather than per key; see scanGroups.
   */
  async listGroups(prefix: string, groupPrefixOf: (key: string) => string | null, options: { revision?: number } = {}): Promise<GroupListing> {
    try {
      return await scanGroups(this.kv, prefix, groupPrefixOf, options);
    } catch (error) {
      throw await this.withCompactRevision(error, prefix);
    }
  }

  /** How many keys are under `prefix`. */
  countUnder(prefix: string): Promise<number> {
    return countUnder(this.kv, prefix);
  }

  /** Nothing stored under `prefix`. */
  isEmpty(prefix: string): Promise<boolean> {
    return isEmptyUnder(this.kv, prefix);
  }

  /** Whether a key under `prefix` was created or modified after `revision` (deletions are not seen). */
  modifiedSince(prefix: string, revision: number): Promise<ModifiedSince> {
    return modifiedSince(this.kv, prefix, revision);
  }

  async deleteIfUnchangedSince(key: string, revision: number): Promise<DeleteOutcome> {
    const [outcome] = await this.deleteManyIfUnchangedSince([{ key, revision }]);
    return outcome as DeleteOutcome;
  }

  async deleteManyIfUnchangedSince(requests: readonly DeleteRequest[]): Promise<DeleteOutcome[]> {
    if (requests.length === 0) return [];
    return deleteIfUnchangedSince(this.kv, requests, this.limits, this.maxAttempts);
  }

  /** The latest revision of the whole etcd keyspace. */
  async currentRevision(): Promise<number> {
    const response = await this.kv.range({ key: Buffer.from([0]), count_only: true });
    return toRevision(response.header.revision);
  }

  /**
   * Streams every change under `prefix` from `fromRevision` on. Rejects with
   * CompactedRevisionError when that revision's history is gone, and with the
   * reason of `options.signal` when it aborts before the watch has started.
   */
  async watch(prefix: string, options: WatchOptions<R>): Promise<WatchHandle> {
    const signal = options.signal;
    signal?.throwIfAborted();
    let from: number;
    if (options.fromRevision === undefined) {
      from = (await abortable(this.currentRevision(), signal)) + 1;
    } else {
      assertRevision(options.fromRevision, 'fromRevision');
      from = options.fromRevision;
      await abortable(this.assertNotCompacted(prefix, from), signal);
    }
    const watch = new PrefixWatch(this.client, this.codec, prefix, from, options);
    // While etcd is away the watch would keep reconnecting, and start() waiting, for as long as it takes.
    const giveUp = () => void watch.close();
    signal?.addEventListener('abort', giveUp, { once: true });
    try {
      await watch.start();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    } finally {
      signal?.removeEventListener('abort', giveUp);
    }
    this.watches.add(watch);
    return {
      lastRevision: () => watch.lastRevision(),
      close: async () => {
        this.watches.delete(watch);
        await watch.close();
      },
    };
  }

  /** Ends every watch opened by this store; the etcd client stays open. */
  async close(): Promise<void> {
    const open = [...this.watches];
    this.watches.clear();
    await Promise.all(open.map((w) => w.close()));
  }

  private async scan(prefix: string, keysOnly: boolean, options: ScanOptions): ReturnType<typeof scanPrefix> {
    try {
      return await scanPrefix(this.kv, prefix, keysOnly, options);
    } catch (error) {
      throw await this.withCompactRevision(error, prefix);
    }
  }

  private async assertNotCompacted(prefix: string, revision: number): Promise<void> {
    try {
      await this.kv.range({ key: Buffer.from(prefix), count_only: true, revision });
    } catch (error) {
      // A watch may start at the next revision, which a read cannot see yet.
      if (isFutureRevisionError(error)) return;
      throw await this.withCompactRevision(error, prefix);
    }
  }

  private async withCompactRevision(error: unknown, prefix: string): Promise<unknown> {
    if (!(error instanceof CompactedRevisionError) || error.compactRevision !== undefined) return error;
    const compact = await probeCompactRevision(this.client, Buffer.from(prefix), error.requestedRevision);
    return new CompactedRevisionError(error.requestedRevision, compact, { cause: error.cause });
  }
}
