import type { IRangeResponse } from 'etcd3';
import type { RecordCodec } from './codec';
import { keyAfter, prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { toStoredRecord, type StoredRecord } from './list-snapshot';
import { PageSizer } from './page-sizer';
import { assertRevision, toRevision } from './revision';

/** One range of a paged snapshot, decoded. */
export interface SnapshotPage<R> {
  /** The revision every page of the snapshot is read at. */
  readonly revision: number;
  readonly items: StoredRecord<R>[];
}

/**
 * Everything under `prefix` at one revision, one range (about 2 MiB, see
 * PageSizer) at a time. The next range is requested before the current one is
 * decoded, so etcd and the network work while the caller decodes and
 * consumes a page; no more than two ranges of raw bytes are held at once,
 * whatever the size of the prefix.
 */
export async function* snapshotPages<R>(
  kv: KvCalls,
  codec: RecordCodec<R>,
  prefix: string,
  options: { readonly revision?: number; readonly maxPageItems: number },
): AsyncGenerator<SnapshotPage<R>, void, undefined> {
  if (options.revision !== undefined) assertRevision(options.revision, 'revision');
  const prefixBytes = Buffer.from(prefix);
  const end = prefixRangeEnd(prefixBytes);
  const sizer = new PageSizer(options.maxPageItems);
  let revision = options.revision;
  const request = (from: Buffer, limit: number): Promise<IRangeResponse> =>
    kv.range({ key: from, range_end: end, limit, ...(revision === undefined ? {} : { revision }) });
  let limit = sizer.next();
  let pending: Promise<IRangeResponse> | undefined = request(prefixBytes, limit);
  try {
    while (pending !== undefined) {
      const response: IRangeResponse = await pending;
      pending = undefined;
      // With an explicit revision the header carries the current revision, not the one read.
      revision ??= toRevision(response.header.revision);
      sizer.observed(response.kvs, limit);
      const last = response.kvs[response.kvs.length - 1];
      if (response.more && last !== undefined) {
        limit = sizer.next();
        pending = request(keyAfter(last.key), limit);
      }
      yield { revision, items: response.kvs.map((stored) => toStoredRecord(codec, stored)) };
    }
  } finally {
    // A caller that stops early (or a decode that throws) leaves a read in flight: its outcome no longer matters.
    pending?.catch(() => undefined);
  }
}
