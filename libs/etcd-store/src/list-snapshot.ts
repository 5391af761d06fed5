import type { IKeyValue } from 'etcd3';
import type { RecordCodec } from './codec';
import { decodeContinueToken, encodeContinueToken } from './continue-token';
import { InvalidStoreArgumentError, RecordDecodeError } from './errors';
import { keyAfter, prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { PageSizer } from './page-sizer';
import { readSizedRanges } from './sized-ranges';
import { assertRevision, toRevision } from './revision';

export interface StoredRecord<R> {
  readonly key: string;
  readonly record: R;
  readonly modRevision: number;
  readonly createRevision: number;
}

export interface ListOptions {
  /** Page size, 1..MAX_LIST_LIMIT. */
  readonly limit: number;
  /** From the previous page; pins the listing to that page's revision. */
  readonly continueToken?: string;
  /** Read the first page at this revision instead of the current one. */
  readonly revision?: number;
}

export interface ListPage<R> {
  readonly items: StoredRecord<R>[];
  /** The snapshot revision every page of this listing is read at. */
  readonly revision: number;
  /** Present when more items follow. */
  readonly continueToken?: string;
}

export const MAX_LIST_LIMIT = 10_000;

/**
 * One page of the keys under `prefix`, in key order, as of a single revision.
 * Later pages are read at the first page's revision, so a listing taken while
 * writes happen is still one consistent snapshot. A page of many large
 * records is read in several ranges (PageSizer), each small enough for the
 * client's receive limit.
 */
export async function listPage<R>(kv: KvCalls, codec: RecordCodec<R>, prefix: string, options: ListOptions): Promise<ListPage<R>> {
  const { limit } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new InvalidStoreArgumentError(`limit must be an integer in 1..${MAX_LIST_LIMIT}, got ${limit}`);
  }
  if (options.revision !== undefined) assertRevision(options.revision, 'revision');
  const position = options.continueToken === undefined ? undefined : decodeContinueToken(options.continueToken, prefix);
  if (position && options.revision !== undefined && options.revision !== position.revision) {
    throw new InvalidStoreArgumentError(`revision ${options.revision} conflicts with the continue token's revision ${position.revision}`);
  }
  const prefixBytes = Buffer.from(prefix);
  const pinned = position?.revision ?? options.revision;
  const items: StoredRecord<R>[] = [];
  const read = await readSizedRanges(
    kv,
    {
      from: position ? keyAfter(Buffer.from(position.lastKey)) : prefixBytes,
      end: prefixRangeEnd(prefixBytes),
      maxItems: limit,
      ...(pinned === undefined ? {} : { revision: pinned }),
    },
    new PageSizer(limit),
    (kvs) => {
      for (const stored of kvs) items.push(toStoredRecord(codec, stored));
    },
  );
  const revision = read.revision;
  const last = items[items.length - 1];
  return {
    items,
    revision,
    ...(read.more && last ? { continueToken: encodeContinueToken({ prefix, revision, lastKey: last.key }) } : {}),
  };
}

export function toStoredRecord<R>(codec: RecordCodec<R>, kv: IKeyValue): StoredRecord<R> {
  const key = kv.key.toString();
  let record: R;
  try {
    record = codec.decode(key, kv.value);
  } catch (error) {
    throw new RecordDecodeError(key, error);
  }
  return { key, record, modRevision: toRevision(kv.mod_revision), createRevision: toRevision(kv.create_revision) };
}
