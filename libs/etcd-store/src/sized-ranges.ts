import type { IKeyValue, IRangeResponse } from 'etcd3';
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
 * the whole read. The next range is requested before `accept` runs, so that
 * etcd reads and sends it while the caller decodes the previous one.
 */
export async function readSizedRanges(
  kv: KvCalls,
  request: SizedRangeRequest,
  sizer: PageSizer,
  accept: (kvs: readonly IKeyValue[]) => void,
): Promise<SizedRead> {
  let revision = request.revision;
  const read = (from: Buffer, limit: number): Promise<IRangeResponse> =>
    kv.range({
      key: from,
      range_end: request.end,
      limit,
      ...(request.keysOnly ? { keys_only: true } : {}),
      ...(revision === undefined ? {} : { revision }),
    });
  let count = 0;
  let limit = Math.min(sizer.next(), request.maxItems);
  let pending = read(request.from, limit);
  for (;;) {
    const response = await pending;
    // With an explicit revision the header carries the current revision, not the one read.
    revision ??= toRevision(response.header.revision);
    sizer.observed(response.kvs, limit);
    const received = count + response.kvs.length;
    const last = response.kvs[response.kvs.length - 1];
    const more = response.more && last !== undefined;
    const next = more && received < request.maxItems;
    if (next) {
      limit = Math.min(sizer.next(), request.maxItems - received);
      pending = read(keyAfter(last.key), limit);
    }
    try {
      accept(response.kvs);
    } catch (error) {
      // Nobody will await the range already asked for: its failure must not go unhandled.
      if (next) pending.catch(() => undefined);
      throw error;
    }
    count = received;
    if (!next) return { count, revision, more };
  }
}
