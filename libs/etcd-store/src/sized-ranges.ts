import type { IKeyValue } from 'etcd3';
import { keyAfter } from './key-range';
import type { KvCalls } from './kv-calls';
import type { PageSizer } from './page-sizer';
import { toRevision } from './revision';

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

/**
 * Reads `[from, end)` in consecutive ranges whose limits `sizer` picks from
 * the bytes already read, every range at the first one's revision, until
 * `maxItems` keys or the end: one logical read that never asks etcd for a
 * response too large for the client. Each range's keys go to `accept` as
 * they arrive, so that a caller decoding them never holds the raw bytes of
 * the whole read.
 */
export async function readSizedRanges(
  kv: KvCalls,
  request: SizedRangeRequest,
  sizer: PageSizer,
  accept: (kvs: readonly IKeyValue[]) => void,
): Promise<SizedRead> {
  let revision = request.revision;
  let from = request.from;
  let count = 0;
  for (;;) {
    const limit = Math.min(sizer.next(), request.maxItems - count);
    const response = await kv.range({
      key: from,
      range_end: request.end,
      limit,
      ...(request.keysOnly ? { keys_only: true } : {}),
      ...(revision === undefined ? {} : { revision }),
    });
    // With an explicit revision the header carries the current revision, not the one read.
    revision ??= toRevision(response.header.revision);
    sizer.observed(response.kvs, limit);
    accept(response.kvs);
    count += response.kvs.length;
    const last = response.kvs[response.kvs.length - 1];
    if (!response.more || last === undefined) return { count, revision, more: false };
    if (count >= request.maxItems) return { count, revision, more: true };
    from = keyAfter(last.key);
  }
}
