import type { IKeyValue } from 'etcd3';
import { InvalidStoreArgumentError } from './errors';
import { keyAfter, prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { PageSizer } from './page-sizer';
import { readSizedRanges } from './sized-ranges';
import { assertRevision, toRevision } from './revision';

/** Keys per range call: large scans stay well under gRPC's default 4 MiB message limit. */
export const DEFAULT_SCAN_PAGE_SIZE = 2000;

export interface ScanOptions {
  /** Read at this revision instead of the current one. */
  readonly revision?: number;
  /** Most keys per round trip; pages of large values hold fewer (about 2 MiB a page). */
  readonly pageSize?: number;
}

export interface KeyListing {
  readonly keys: string[];
  /** The revision every page was read at. */
  readonly revision: number;
}

/** A stored value as bytes, for callers that must see records a codec would reject. */
export interface RawEntry {
  readonly key: string;
  readonly value: Buffer;
}

export interface RawListing {
  readonly entries: RawEntry[];
  readonly revision: number;
}

export interface KeyGroup {
  /** The prefix every key of the group shares. */
  readonly prefix: string;
  /** The group's smallest key. */
  readonly firstKey: string;
}

export interface GroupListing {
  readonly groups: KeyGroup[];
  readonly revision: number;
}

function checkScanOptions(options: ScanOptions): number {
  if (options.revision !== undefined) assertRevision(options.revision, 'revision');
  const pageSize = options.pageSize ?? DEFAULT_SCAN_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new InvalidStoreArgumentError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  return pageSize;
}

/**
 * Every key-value under `prefix`, page by page, all pages at the revision of
 * the first, so that the result is one snapshot even while writes happen.
 * Pages with values are sized by their bytes (PageSizer).
 */
export async function scanPrefix(kv: KvCalls, prefix: string, keysOnly: boolean, options: ScanOptions): Promise<{ kvs: IKeyValue[]; revision: number }> {
  const pageSize = checkScanOptions(options);
  const prefixBytes = Buffer.from(prefix);
  // Keys alone are small: only pages with values need sizing by bytes.
  const sizer = keysOnly ? new PageSizer(pageSize, Number.POSITIVE_INFINITY, pageSize) : new PageSizer(pageSize);
  const kvs: IKeyValue[] = [];
  const read = await readSizedRanges(
    kv,
    { from: prefixBytes, end: prefixRangeEnd(prefixBytes), keysOnly, maxItems: Number.POSITIVE_INFINITY, ...(options.revision === undefined ? {} : { revision: options.revision }) },
    sizer,
    (page) => {
      for (const found of page) kvs.push(found);
    },
  );
  return { kvs, revision: read.revision };
}

/**
 * The distinct groups of keys under `prefix`, reading one key per group:
 * after a key, the scan jumps past the end of its group (`groupPrefixOf`),
 * so the cost is one round trip per group, not per key. Keys for which
 * `groupPrefixOf` returns null belong to no group and are stepped over.
 */
export async function scanGroups(
  kv: KvCalls,
  prefix: string,
  groupPrefixOf: (key: string) => string | null,
  options: { readonly revision?: number },
): Promise<GroupListing> {
  if (options.revision !== undefined) assertRevision(options.revision, 'revision');
  const end = prefixRangeEnd(Buffer.from(prefix));
  let revision = options.revision;
  let from: Buffer = Buffer.from(prefix);
  const groups: KeyGroup[] = [];
  for (;;) {
    const response = await kv.range({ key: from, range_end: end, limit: 1, keys_only: true, ...(revision === undefined ? {} : { revision }) });
    revision ??= toRevision(response.header.revision);
    const found = response.kvs[0];
    if (found === undefined) return { groups, revision };
    const key = found.key.toString();
    const group = groupPrefixOf(key);
    if (group === null || !key.startsWith(group) || !group.startsWith(prefix)) {
      // A group must contain its key and lie inside the scan, or the jump could skip or loop.
      if (group !== null) throw new InvalidStoreArgumentError(`group prefix ${group} does not hold ${key} within ${prefix}`);
      from = keyAfter(found.key);
      continue;
    }
    groups.push({ prefix: group, firstKey: key });
    from = prefixRangeEnd(Buffer.from(group));
    // A group of 0xff bytes runs to the end of the keyspace: nothing can follow it.
    if (Buffer.compare(from, end) >= 0 || (from.length === 1 && from[0] === 0)) return { groups, revision };
  }
}
