import type { ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import { jitteredBackoff } from './backoff';
import type { RecordCodec } from './codec';
import { InvalidStoreArgumentError, WriteContentionError } from './errors';
import type { KvCalls } from './kv-calls';
import { toRevision } from './revision';
import { chunkBySize, type TxnLimits } from './txn-limits';

export type UpsertOutcome =
  /** The record is now stored; `revision` is the etcd revision of the write. */
  | { readonly status: 'applied'; readonly key: string; readonly version: number; readonly revision: number }
  /**
   * Not written: etcd already holds `storedVersion` >= `version` (or identical
   * bytes). `revision` is the etcd revision at which that was observed.
   */
  | {
      readonly status: 'stale';
      readonly key: string;
      readonly version: number;
      readonly storedVersion: number;
      readonly revision: number;
    };

export interface UpsertSettings {
  readonly limits: TxnLimits;
  /** Write attempts per chunk after the initial read. */
  readonly maxAttempts: number;
}

interface Candidate {
  readonly key: string;
  readonly keyBytes: Buffer;
  readonly version: number;
  readonly value: Buffer;
}

interface Observed {
  /** 0 when the key is absent. */
  readonly modRevision: number;
  /** Undefined when absent; -Infinity when the stored bytes do not decode. */
  readonly version: number | undefined;
  readonly value: Buffer | undefined;
}

/** Stored bytes that do not decode are overwritten by any valid record. */
const UNDECODABLE_VERSION = Number.NEGATIVE_INFINITY;

/**
 * Writes each record whose version is strictly newer than the stored one.
 *
 * Cost per chunk (<= maxOpsPerTxn keys): one read Txn, then one conditional
 * Txn that compares every key's mod_revision with what was read. When another
 * writer got in between, the same Txn's else-branch returns the fresh state,
 * so a retry needs no extra read. Keys are independent, so chunks run in
 * parallel. Because every write is conditional on the exact state its version
 * check was made against, no interleaving can replace a newer version.
 */
export async function upsertIfNewer<R>(
  kv: KvCalls,
  codec: RecordCodec<R>,
  records: readonly R[],
  settings: UpsertSettings,
): Promise<UpsertOutcome[]> {
  const winners = new Map<string, { candidate: Candidate; index: number }>();
  const inputs = records.map((record) => ({ key: codec.keyOf(record), version: codec.versionOf(record), record }));
  inputs.forEach(({ key, version, record }, index) => {
    // NaN would compare false both ways and slip past the newer-wins check.
    if (!Number.isFinite(version)) throw new InvalidStoreArgumentError(`record ${key} has a non-finite version ${version}`);
    const current = winners.get(key);
    // Within one batch the highest version of a key wins; ties keep the first.
    if (current === undefined || version > current.candidate.version) {
      const candidate = { key, keyBytes: Buffer.from(key), version, value: Buffer.from(codec.encode(record)) };
      winners.set(key, { candidate, index });
    }
  });

  const chunks = chunkBySize(
    [...winners.values()].map((w) => w.candidate),
    (c) => c.keyBytes.length * 2 + c.value.length,
    settings.limits.maxOpsPerTxn,
    settings.limits.maxBytesPerTxn,
  );
  const outcomes = new Map<string, UpsertOutcome>();
  const results = await Promise.all(chunks.map((chunk) => upsertChunk(kv, codec, chunk, settings.maxAttempts)));
  for (const result of results) for (const [key, outcome] of result) outcomes.set(key, outcome);

  return inputs.map(({ key, version }, index): UpsertOutcome => {
    const winner = outcomes.get(key) as UpsertOutcome;
    if (winners.get(key)?.index === index) return winner;
    // A duplicate that lost inside the batch: stale against what the batch left stored.
    const storedVersion = winner.status === 'applied' ? winner.version : winner.storedVersion;
    return { status: 'stale', key, version, storedVersion, revision: winner.revision };
  });
}

async function upsertChunk<R>(
  kv: KvCalls,
  codec: RecordCodec<R>,
  chunk: readonly Candidate[],
  maxAttempts: number,
): Promise<Map<string, UpsertOutcome>> {
  const outcomes = new Map<string, UpsertOutcome>();
  const initial = await kv.txn({ compare: [], success: chunk.map(rangeOp) });
  let observedAt = toRevision(initial.header.revision);
  let observed = readObserved(codec, chunk, initial);
  let pending = chunk;

  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const toWrite: { candidate: Candidate; modRevision: number }[] = [];
    for (const candidate of pending) {
      const seen = observed.get(candidate.key) as Observed;
      const identical = seen.value !== undefined && seen.value.equals(candidate.value);
      if (identical || (seen.version !== undefined && seen.version >= candidate.version)) {
        outcomes.set(candidate.key, {
          status: 'stale',
          key: candidate.key,
          version: candidate.version,
          storedVersion: identical ? candidate.version : (seen.version as number),
          revision: observedAt,
        });
      } else {
        toWrite.push({ candidate, modRevision: seen.modRevision });
      }
    }
    if (toWrite.length === 0) return outcomes;

    const response = await kv.txn({
      compare: toWrite.map(({ candidate, modRevision }): ICompare => ({
        key: candidate.keyBytes,
        target: 'Mod',
        result: 'Equal',
        mod_revision: modRevision,
      })),
      success: toWrite.map(({ candidate }): IRequestOp => ({
        request_put: { key: candidate.keyBytes, value: candidate.value },
      })),
      failure: toWrite.map(({ candidate }) => rangeOp(candidate)),
    });
    const revision = toRevision(response.header.revision);
    if (response.succeeded) {
      for (const { candidate } of toWrite) {
        outcomes.set(candidate.key, { status: 'applied', key: candidate.key, version: candidate.version, revision });
      }
      return outcomes;
    }
    pending = toWrite.map((w) => w.candidate);
    observed = readObserved(codec, pending, response);
    observedAt = revision;
    await jitteredBackoff(attempt, 2, 50);
  }
  throw new WriteContentionError(
    pending.map((c) => c.key),
    maxAttempts,
  );
}

function rangeOp(candidate: Candidate): IRequestOp {
  return { request_range: { key: candidate.keyBytes } };
}

/** Responses come back in request order, one range per candidate. */
function readObserved<R>(codec: RecordCodec<R>, candidates: readonly Candidate[], response: ITxnResponse): Map<string, Observed> {
  const observed = new Map<string, Observed>();
  candidates.forEach((candidate, i) => {
    const kv: IKeyValue | undefined = response.responses[i]?.response_range?.kvs[0];
    observed.set(candidate.key, kv === undefined ? { modRevision: 0, version: undefined, value: undefined } : observe(codec, kv));
  });
  return observed;
}

function observe<R>(codec: RecordCodec<R>, kv: IKeyValue): Observed {
  let version: number;
  try {
    version = codec.versionOf(codec.decode(kv.key.toString(), kv.value));
  } catch {
    version = UNDECODABLE_VERSION;
  }
  return { modRevision: toRevision(kv.mod_revision), version, value: kv.value };
}
