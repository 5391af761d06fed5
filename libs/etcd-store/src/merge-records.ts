import type { ICompare, IKeyValue, IRequestOp } from 'etcd3';
import { jitteredBackoff } from './backoff';
import { runBounded } from './bounded-parallel';
import type { RecordCodec } from './codec';
import { WriteContentionError } from './errors';
import type { KvCalls } from './kv-calls';
import { toRevision } from './revision';
import { chunkBySize, type TxnLimits } from './txn-limits';

export type MergeOutcome =
  /** The merged record is now stored at `revision`. */
  | { readonly status: 'applied'; readonly key: string; readonly revision: number }
  /** The merge left the stored record as it was (a duplicate, or older than what is stored); nothing written. */
  | { readonly status: 'unchanged'; readonly key: string; readonly revision: number };

export interface MergeSettings<R> {
  readonly limits: TxnLimits;
  /** Conditional writes of a chunk lost to another writer before WriteContentionError. */
  readonly maxAttempts: number;
  /** The join of a stored record (undefined when none is) and an incoming one. */
  readonly merge: (stored: R | undefined, incoming: R) => R;
  /** True when `merged` needs no write over `stored`. */
  readonly unchanged: (merged: R, stored: R) => boolean;
}

interface KeyGroup<R> {
  readonly key: string;
  readonly keyBytes: Buffer;
  readonly incoming: R[];
}

/**
 * Read, merge, write for records that have no version to compare: each key is
 * read, the incoming records are merged into what is stored, and the result is
 * written with a compare on the mod revision that was read. When another writer
 * got in between, the chunk is read and merged again. Since the merge is a join
 * (order and duplicates do not matter), every writer's contribution survives
 * whatever the interleaving. Cost per chunk: one read Txn and one conditional Txn.
 */
export async function mergeRecords<R>(kv: KvCalls, codec: RecordCodec<R>, records: readonly R[], settings: MergeSettings<R>): Promise<MergeOutcome[]> {
  const groups = new Map<string, KeyGroup<R>>();
  const keys = records.map((record) => {
    const key = codec.keyOf(record);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { key, keyBytes: Buffer.from(key), incoming: [record] });
    else group.incoming.push(record);
    return key;
  });
  const outcomes = new Map<string, MergeOutcome>();
  // A merged record may be several times the incoming size; the chunks stay well below the byte limit.
  const chunks = chunkBySize([...groups.values()], (g) => g.keyBytes.length * 3 + 4096, settings.limits.maxOpsPerTxn, settings.limits.maxBytesPerTxn);
  await runBounded(chunks, settings.limits.maxTxnsInFlight, (chunk) => mergeChunk(kv, codec, chunk, settings, outcomes));
  return keys.map((key) => outcomes.get(key) as MergeOutcome);
}

function decodeOrNothing<R>(codec: RecordCodec<R>, kv: IKeyValue | undefined): R | undefined {
  if (kv === undefined) return undefined;
  try {
    return codec.decode(kv.key.toString(), kv.value);
  } catch {
    // Bytes that are no record of this key are replaced, as newer-wins writes replace them.
    return undefined;
  }
}

async function mergeChunk<R>(kv: KvCalls, codec: RecordCodec<R>, chunk: readonly KeyGroup<R>[], settings: MergeSettings<R>, outcomes: Map<string, MergeOutcome>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const read = await kv.txn({ compare: [], success: chunk.map((g): IRequestOp => ({ request_range: { key: g.keyBytes } })) });
    const readRevision = toRevision(read.header.revision);
    const writes: { group: KeyGroup<R>; modRevision: number; value: Buffer }[] = [];
    chunk.forEach((group, i) => {
      const kvRead = read.responses[i]?.response_range?.kvs[0];
      const stored = decodeOrNothing(codec, kvRead);
      let merged = stored;
      for (const incoming of group.incoming) merged = settings.merge(merged, incoming);
      const result = merged as R;
      if (stored !== undefined && settings.unchanged(result, stored)) {
        outcomes.set(group.key, { status: 'unchanged', key: group.key, revision: readRevision });
      } else {
        writes.push({ group, modRevision: kvRead === undefined ? 0 : toRevision(kvRead.mod_revision), value: Buffer.from(codec.encode(result)) });
      }
    });
    if (writes.length === 0) return;
    if (attempt >= settings.maxAttempts) throw new WriteContentionError(writes.map((w) => w.group.key), settings.maxAttempts);
    const response = await kv.txn({
      compare: writes.map(({ group, modRevision }): ICompare => ({ key: group.keyBytes, target: 'Mod', result: 'Equal', mod_revision: modRevision })),
      success: writes.map(({ group, value }): IRequestOp => ({ request_put: { key: group.keyBytes, value } })),
    });
    if (response.succeeded) {
      const revision = toRevision(response.header.revision);
      for (const { group } of writes) outcomes.set(group.key, { status: 'applied', key: group.key, revision });
      return;
    }
    kv.counter.conflicts++;
    await jitteredBackoff(attempt, 1, 50);
  }
}
