import type { IRangeResponse } from 'etcd3';
import type { RecordCodec } from './codec';
import { prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { toStoredRecord, type StoredRecord } from './list-snapshot';
import { PageSizer } from './page-sizer';
import { assertRevision, toRevision } from './revision';
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
  const sizer = new PageSizer(options.maxPageItems, options.pageBytes);
  let revision = options.revision;
  const request = (range: SnapshotRange, limit: number): Promise<IRangeResponse> =>
    kv.range({ key: range.from, range_end: range.end, limit, ...(revision === undefined ? {} : { revision }) });
  let range: SnapshotRange = { from: prefixBytes, end: whole };
  let limit = sizer.next();
  let pending: Promise<IRangeResponse> | undefined = request(range, limit);
  try {
    while (pending !== undefined) {
      const response: IRangeResponse = await pending;
      pending = undefined;
      // With an explicit revision the header carries the current revision, not the one read.
      revision ??= toRevision(response.header.revision);
      sizer.observed(response.kvs, limit);
      const next = nextSnapshotRange(range, response.kvs, response.more, whole);
      if (next !== undefined) {
        range = next;
        limit = sizer.next();
        pending = request(range, limit);
      }
      // A range that ended with its directory may be empty; only the last page of the snapshot is yielded empty.
      if (response.kvs.length > 0 || pending === undefined) {
        yield { revision, items: response.kvs.map((stored) => toStoredRecord(codec, stored)) };
      }
    }
  } finally {
    // A caller that stops early (or a decode that throws) leaves a read in flight: its outcome no longer matters.
    pending?.catch(() => undefined);
  }
}
