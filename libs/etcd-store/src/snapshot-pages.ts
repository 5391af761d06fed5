import type { IKeyValue } from 'etcd3';
import type { RecordCodec } from './codec';
import { prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { toStoredRecord, type StoredRecord } from './list-snapshot';
import { PageSizer } from './page-sizer';
import { assertRevision } from './revision';
import { sizedRanges } from './sized-ranges';
import { nextSnapshotRange, type SnapshotRange } from './snapshot-range';

/** One range of a paged snapshot, decoded. */
export interface SnapshotPage<R> {
  /** The revision every page of the snapshot is read at. */
  readonly revision: number;
  readonly items: StoredRecord<R>[];
}

/**
 * Everything under `prefix` at one revision, one range at a time, each as
 * large as PageSizer makes it for `pageBytes` (by default about 2 MiB, which
 * any client accepts), and bounded by the directory it lies in when it lies
 * in one (see nextSnapshotRange) so that etcd's count of each range stays
 * small. The next range is requested before the current one is decoded, so
 * etcd and the network work while the caller decodes and consumes a page; no
 * more than two ranges of raw bytes are held at once, whatever the size of
 * the prefix.
 */
export async function* snapshotPages<R>(
  kv: KvCalls,
  codec: RecordCodec<R>,
  prefix: string,
  options: { readonly revision?: number; readonly maxPageItems: number; readonly pageBytes?: number },
): AsyncGenerator<SnapshotPage<R>, void, undefined> {
  if (options.revision !== undefined) assertRevision(options.revision, 'revision');
  const prefixBytes = Buffer.from(prefix);
  const whole = prefixRangeEnd(prefixBytes);
  const request = { from: prefixBytes, end: whole, maxItems: Number.POSITIVE_INFINITY, ...(options.revision === undefined ? {} : { revision: options.revision }) };
  const follow = (current: SnapshotRange, kvs: readonly IKeyValue[], more: boolean): SnapshotRange | undefined => nextSnapshotRange(current, kvs, more, whole);
  for await (const range of sizedRanges(kv, request, new PageSizer(options.maxPageItems, options.pageBytes), follow)) {
    // A range that ended with its directory may be empty; only the last page of the snapshot is yielded empty.
    if (range.kvs.length > 0 || range.last) {
      yield { revision: range.revision, items: range.kvs.map((stored) => toStoredRecord(codec, stored)) };
    }
  }
}

/**
 * Every record under `prefix` at one revision, gathered from snapshotPages: the
 * same ranges (sized by bytes, bounded by directories), for a caller that wants
 * them all at once.
 */
export async function snapshotPrefix<R>(
  kv: KvCalls,
  codec: RecordCodec<R>,
  prefix: string,
  options: { readonly revision?: number; readonly maxPageItems: number; readonly pageBytes?: number },
): Promise<{ items: StoredRecord<R>[]; revision: number }> {
  const items: StoredRecord<R>[] = [];
  let revision = 0;
  for await (const page of snapshotPages(kv, codec, prefix, options)) {
    for (const item of page.items) items.push(item);
    revision = page.revision;
  }
  return { items, revision };
}
