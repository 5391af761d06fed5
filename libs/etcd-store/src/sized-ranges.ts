import type { IKeyValue, IRangeResponse } from 'etcd3';
import { keyAfter } from './key-range';
import type { KvCalls } from './kv-calls';
import type { PageSizer } from './page-sizer';
import { toRevision } from './revision';
import type { SnapshotRange } from './snapshot-range';

export interface SizedRangeRequest {
  readonly from: Buffer;
  readonly end: Buffer;
  /** Read at this revision; the first range's when omitted. */
  readonly revision?: number;
  readonly keysOnly?: boolean;
  /** Stop once this many keys are read. */
  readonly maxItems: number;
}

export interface SizedRead {
  /** Keys read. */
  readonly count: number;
  /** The revision every range was read at. */
  readonly revision: number;
  /** Keys follow the last one read. */
  readonly more: boolean;
}

/** One range of a sized read, as etcd returned it. */
export interface SizedRange {
  readonly kvs: readonly IKeyValue[];
  /** The revision every range is read at. */
  readonly revision: number;
  /** Keys follow the last one read in this range. */
  readonly more: boolean;
  /** No range follows this one. */
  readonly last: boolean;
}

/** The range after a page of `kvs` read from `current`: the rest of it, while etcd says more follow. */
export type FollowRange = (current: SnapshotRange, kvs: readonly IKeyValue[], more: boolean) => SnapshotRange | undefined;

const restOfRange: FollowRange = (current, kvs, more) => {
  const last = kvs[kvs.length - 1];
  return more && last !== undefined ? { from: keyAfter(last.key), end: current.end } : undefined;
};

/**
 * Reads `[from, end)` in consecutive ranges whose limits `sizer` picks from
 * the bytes already read, every range at the first one's revision, until
 * `maxItems` keys or `follow` names no further range: one logical read that
 * never asks etcd for a response too large for the client. The next range
 * is requested before the current one is yielded, so that etcd reads and
 * sends it while the caller decodes the previous one; no more than two
 * ranges of raw bytes are held at once.
 */
export async function* sizedRanges(
  kv: KvCalls,
  request: SizedRangeRequest,
  sizer: PageSizer,
  follow: FollowRange = restOfRange,
): AsyncGenerator<SizedRange, void, undefined> {
  let revision = request.revision;
  const read = (range: SnapshotRange, limit: number): Promise<IRangeResponse> =>
    kv.range({
      key: range.from,
      range_end: range.end,
      limit,
      ...(request.keysOnly ? { keys_only: true } : {}),
      ...(revision === undefined ? {} : { revision }),
    });
  let range: SnapshotRange = { from: request.from, end: request.end };
  let count = 0;
  let limit = Math.min(sizer.next(), request.maxItems);
  let pending: Promise<IRangeResponse> | undefined = read(range, limit);
  try {
    while (pending !== undefined) {
      const response: IRangeResponse = await pending;
      pending = undefined;
      // With an explicit revision the header carries the current revision, not the one read.
      revision ??= toRevision(response.header.revision);
      sizer.observed(response.kvs, limit);
      count += response.kvs.length;
      const next = count < request.maxItems ? follow(range, response.kvs, response.more) : undefined;
      if (next !== undefined) {
        range = next;
        limit = Math.min(sizer.next(), request.maxItems - count);
        pending = read(range, limit);
      }
      yield { kvs: response.kvs, revision, more: response.more && response.kvs.length > 0, last: pending === undefined };
    }
  } finally {
    // A caller that stops early (or fails on a range) leaves a read in flight: its outcome no longer matters.
    pending?.catch(() => undefined);
  }
}

/** sizedRanges handing each range's keys to `accept` as they arrive, so that a caller decoding them never holds the raw bytes of the whole read. */
export async function readSizedRanges(
  kv: KvCalls,
  request: SizedRangeRequest,
  sizer: PageSizer,
  accept: (kvs: readonly IKeyValue[]) => void,
): Promise<SizedRead> {
  let count = 0;
  for await (const range of sizedRanges(kv, request, sizer)) {
    accept(range.kvs);
    count += range.kvs.length;
    if (range.last) return { count, revision: range.revision, more: range.more };
  }
  throw new Error('sizedRanges ended without its last range');
}
