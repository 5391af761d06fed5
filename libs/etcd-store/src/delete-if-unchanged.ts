import type { ICompare, IRequestOp } from 'etcd3';
import { jitteredBackoff } from './backoff';
import { WriteContentionError } from './errors';
import type { KvCalls } from './kv-calls';
import { assertRevision, toRevision } from './revision';
import { runBounded } from './bounded-parallel';
import { chunkBySize, type TxnLimits } from './txn-limits';

export interface DeleteRequest {
  readonly key: string;
  /** Delete only if the key's last write happened at or before this revision. */
  readonly revision: number;
}

export type DeleteOutcome =
  | { readonly status: 'deleted'; readonly key: string; readonly revision: number }
  /** A write newer than the given revision is stored; it is kept. */
  | { readonly status: 'newer'; readonly key: string; readonly modRevision: number; readonly revision: number }
  | { readonly status: 'absent'; readonly key: string; readonly revision: number };

interface Pending {
  readonly key: string;
  readonly keyBytes: Buffer;
  readonly revision: number;
}

/**
 * Deletes each key whose mod_revision is <= its given revision. One Txn per
 * chunk guards every delete with `mod_revision < revision + 1` and
 * `mod_revision > 0` (exists); if any guard fails, the else-branch returns
 * the keys' current revisions so the keys still deletable are retried alone.
 */
export async function deleteIfUnchangedSince(
  kv: KvCalls,
  requests: readonly DeleteRequest[],
  limits: TxnLimits,
  maxAttempts: number,
): Promise<DeleteOutcome[]> {
  const byKey = new Map<string, Pending>();
  for (const { key, revision } of requests) {
    assertRevision(revision, `revision for ${key}`);
    const current = byKey.get(key);
    // Two requests for one key: deleting under the later revision satisfies both.
    if (current === undefined || revision > current.revision) byKey.set(key, { key, keyBytes: Buffer.from(key), revision });
  }
  // Two compares per key, so half as many keys per Txn.
  const chunks = chunkBySize([...byKey.values()], (p) => p.keyBytes.length * 3, Math.floor(limits.maxOpsPerTxn / 2), limits.maxBytesPerTxn);
  const outcomes = new Map<string, DeleteOutcome>();
  const results = await runBounded(chunks, limits.maxTxnsInFlight, (chunk) => deleteChunk(kv, chunk, maxAttempts));
  for (const result of results) for (const [key, outcome] of result) outcomes.set(key, outcome);
  return requests.map((r) => outcomes.get(r.key) as DeleteOutcome);
}

async function deleteChunk(kv: KvCalls, chunk: readonly Pending[], maxAttempts: number): Promise<Map<string, DeleteOutcome>> {
  const outcomes = new Map<string, DeleteOutcome>();
  let pending = chunk;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const response = await kv.txn({
      compare: pending.flatMap((p): ICompare[] => [
        { key: p.keyBytes, target: 'Mod', result: 'Less', mod_revision: p.revision + 1 },
        { key: p.keyBytes, target: 'Mod', result: 'Greater', mod_revision: 0 },
      ]),
      success: pending.map((p): IRequestOp => ({ request_delete_range: { key: p.keyBytes } })),
      failure: pending.map((p): IRequestOp => ({ request_range: { key: p.keyBytes, keys_only: true } })),
    });
    const revision = toRevision(response.header.revision);
    if (response.succeeded) {
      for (const p of pending) outcomes.set(p.key, { status: 'deleted', key: p.key, revision });
      return outcomes;
    }
    const retry: Pending[] = [];
    pending.forEach((p, i) => {
      const kvs = response.responses[i]?.response_range?.kvs ?? [];
      const stored = kvs[0];
      if (stored === undefined) {
        outcomes.set(p.key, { status: 'absent', key: p.key, revision });
        return;
      }
      const modRevision = toRevision(stored.mod_revision);
      if (modRevision > p.revision) outcomes.set(p.key, { status: 'newer', key: p.key, modRevision, revision });
      else retry.push(p);
    });
    if (retry.length === 0) return outcomes;
    pending = retry;
    // Only a concurrent change between guard and read lands here; no need to wait on the first retry.
    if (attempt > 0) await jitteredBackoff(attempt, 2, 50);
  }
  throw new WriteContentionError(
    pending.map((p) => p.key),
    maxAttempts,
  );
}
