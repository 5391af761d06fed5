import type { IKeyValue } from 'etcd3';
import { keyAfter, prefixRangeEnd } from './key-range';

/** The keys one range request of a snapshot covers: `[from, end)`. */
export interface SnapshotRange {
  readonly from: Buffer;
  readonly end: Buffer;
}

/**
 * The range to read after a page of `kvs` read from `current`, or undefined
 * once `[…, whole)` is read; `whole` is the end of the snapshot's prefix.
 *
 * etcd counts every key from a limited range's start to the range's end on
 * each call, so reading a large prefix page by page costs it a count of the
 * rest of the prefix per page. A page that lies within one directory (every
 * key before its last `/` the same, e.g. one cluster's tasks) suggests a
 * directory larger than a page: the next ranges then end with that directory,
 * so their counts span it alone, and the rest of the prefix is read after it.
 * A page that spans directories goes on to the whole end as before, so a
 * fleet of small directories costs no more round trips than without bounds.
 */
export function nextSnapshotRange(current: SnapshotRange, kvs: readonly IKeyValue[], more: boolean, whole: Buffer): SnapshotRange | undefined {
  const first = kvs[0];
  const last = kvs[kvs.length - 1];
  if (more && first !== undefined && last !== undefined) {
    const from = keyAfter(last.key);
    if (current.end !== whole) return { from, end: current.end };
    const directory = sharedDirectory(first.key, last.key);
    const end = directory === undefined ? whole : nearerEnd(prefixRangeEnd(directory), whole);
    return { from, end };
  }
  // `more` is false: the current range is read; what follows its end is not, unless it ends the prefix.
  return current.end === whole ? undefined : { from: current.end, end: whole };
}

/** `last` up to its last `/` when `first` starts with the same, else undefined. */
function sharedDirectory(first: Buffer, last: Buffer): Buffer | undefined {
  const slash = last.lastIndexOf(0x2f);
  if (slash < 0) return undefined;
  const directory = last.subarray(0, slash + 1);
  return first.length >= directory.length && first.subarray(0, directory.length).equals(directory) ? directory : undefined;
}

/** The nearer of two range ends; `[0]` ends a range at the end of the keyspace. */
function nearerEnd(a: Buffer, b: Buffer): Buffer {
  if (isKeyspaceEnd(a)) return b;
  if (isKeyspaceEnd(b)) return a;
  return Buffer.compare(a, b) < 0 ? a : b;
}

function isKeyspaceEnd(end: Buffer): boolean {
  return end.length === 1 && end[0] === 0;
}
