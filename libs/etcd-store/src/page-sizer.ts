import type { IKeyValue } from 'etcd3';

/**
 * Bytes a scan aims for in one page: half of gRPC's default 4 MiB receive
 * limit, so that pages of records of uneven size still fit it, and as large
 * as that allows because every range etcd serves with a limit also counts
 * all the keys from its start to the end of the range: a scan of N keys in
 * pages of P costs etcd about N²/2P key visits, so small pages make a large
 * fleet's listing quadratic.
 */
export const PAGE_TARGET_BYTES = 2 * 1024 * 1024;

/**
 * The most bytes a snapshot page aims for, whatever the client accepts: two
 * ranges of raw bytes are held at once, and past this size fewer pages save
 * etcd little (its counts are bounded by directory, see nextSnapshotRange).
 */
export const SNAPSHOT_PAGE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Bytes a snapshot's pages aim for with a client that accepts responses of
 * `receiveLimit` bytes: half of it, as PAGE_TARGET_BYTES is of gRPC's default,
 * up to SNAPSHOT_PAGE_MAX_BYTES.
 */
export function snapshotPageBytes(receiveLimit: number): number {
  return Math.max(1, Math.min(SNAPSHOT_PAGE_MAX_BYTES, Math.floor(receiveLimit / 2)));
}

/** Items of the first page of a scan, before any record size is known: 100 records of 32 KB still fit. */
const FIRST_PAGE_ITEMS = 100;

/**
 * Page limits of one scan, sized by the bytes of the pages already read so
 * that a page stays near PAGE_TARGET_BYTES whatever the size of the records:
 * etcd limits a range by count only, and a count that suits 1 KB records
 * overflows the client's receive limit with 8 KB ones.
 */
export class PageSizer {
  private limit: number;

  constructor(
    private readonly maxItems: number,
    private readonly targetBytes: number = PAGE_TARGET_BYTES,
    firstPageItems: number = FIRST_PAGE_ITEMS,
  ) {
    this.limit = Math.max(1, Math.min(maxItems, firstPageItems));
  }

  next(): number {
    return this.limit;
  }

  /** A page of `kvs` was read with `limit`. */
  observed(kvs: readonly IKeyValue[], limit: number): void {
    let bytes = 0;
    for (const kv of kvs) bytes += kv.key.length + kv.value.length;
    if (kvs.length === 0 || bytes === 0) {
      this.limit = Math.min(this.maxItems, limit);
      return;
    }
    const fitting = Math.floor((this.targetBytes * kvs.length) / bytes);
    // Grow at most fourfold per page, so one page of small records does not size the next for them alone.
    this.limit = Math.max(1, Math.min(this.maxItems, fitting, limit * 4));
  }
}
