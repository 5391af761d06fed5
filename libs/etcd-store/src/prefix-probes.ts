import { prefixRangeEnd } from './key-range';
import type { KvCalls } from './kv-calls';
import { assertRevision, toRevision } from './revision';

export interface ModifiedSince {
  /** Some key under the prefix was created or modified after the given revision. */
  readonly modified: boolean;
  /** The revision the answer holds at. */
  readonly revision: number;
}

function rangeOf(prefix: string): { key: Buffer; range_end: Buffer } {
  const key = Buffer.from(prefix);
  return { key, range_end: prefixRangeEnd(key) };
}

/** How many keys are under `prefix`; etcd counts, no key or value is transferred. */
export async function countUnder(kv: KvCalls, prefix: string): Promise<number> {
  const response = await kv.range({ ...rangeOf(prefix), count_only: true });
  return Number(response.count);
}

/** Whether nothing is stored under `prefix`: one key at most is read, whatever the size. */
export async function isEmptyUnder(kv: KvCalls, prefix: string): Promise<boolean> {
  const response = await kv.range({ ...rangeOf(prefix), keys_only: true, limit: 1 });
  return response.kvs.length === 0;
}

/**
 * Whether a key under `prefix` carries a mod revision after `revision`. A
 * deletion leaves no key behind, so deletions are not seen: callers that must
 * notice them watch the prefix instead.
 */
export async function modifiedSince(kv: KvCalls, prefix: string, revision: number): Promise<ModifiedSince> {
  if (revision !== 0) assertRevision(revision, 'revision');
  const response = await kv.range({ ...rangeOf(prefix), keys_only: true, limit: 1, min_mod_revision: revision + 1 });
  return { modified: response.kvs.length > 0, revision: toRevision(response.header.revision) };
}
