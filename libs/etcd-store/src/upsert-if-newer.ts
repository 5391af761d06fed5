import type { ICompare, IKeyValue, IRequestOp, ITxnResponse } from 'etcd3';
import { jitteredBackoff } from './backoff';
import { runBounded } from './bounded-parallel';
import type { RecordCodec } from './codec';
import { InvalidStoreArgumentError, WriteContentionError } from './errors';
import type { InFlightWrites, KeyState, KnownStates } from './in-flight-writes';
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
  /** Conditional writes of a key before WriteContentionError. */
  readonly maxAttempts: number;
  /** Shared by the upserts of one store, so that they never race each other on a key. */
  readonly inFlight?: InFlightWrites;
}

interface Candidate {
  readonly key: string;
  readonly keyBytes: Buffer;
  readonly version: number;
  readonly value: Buffer;
}

/** Stored bytes that do not decode are overwritten by any valid record. */
const UNDECODABLE_VERSION = Number.NEGATIVE_INFINITY;

/**
 * Writes each record whose version is strictly newer than the stored one.
 *
 * Cost per chunk (<= maxOpsPerTxn keys): one read Txn, then one conditional
 * Txn that compares every key's mod_revision with what was read. When another
 * writer got in between, the same Txn's else-branch returns the fresh state,
 * so a retry needs no extra read; the keys that writer changed are retried
 * apart from the others (see writeGroup). Keys are independent, so chunks run in
 * parallel, maxTxnsInFlight at a time. Because every write is conditional on the exact state its version
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

  const candidates = [...winners.values()].map((w) => w.candidate);
  const context: GroupContext<R> = { kv, codec, maxAttempts: settings.maxAttempts, outcomes: new Map(), known: new Map() };
  const writeAll = async (group: readonly Candidate[], known: KnownStates): Promise<void> => {
    // The conditional Txn sends each key three times: in its compare, its put and its failure branch's range.
    const chunks = chunkBySize(group, (c) => c.keyBytes.length * 3 + c.value.length, settings.limits.maxOpsPerTxn, settings.limits.maxBytesPerTxn);
    await runBounded(chunks, settings.limits.maxTxnsInFlight, (chunk) => upsertChunk(context, chunk, known));
  };
  const inFlight = settings.inFlight;
  if (inFlight === undefined) {
    await writeAll(candidates, NOTHING_KNOWN);
  } else {
    // Keys an earlier upsert of this store is still writing are written once it has finished, from the state it
    // left; the others at once.
    const free: Candidate[] = [];
    const held: { candidate: Candidate; holder: Promise<KnownStates> }[] = [];
    for (const candidate of candidates) {
      const holder = inFlight.holderOf(candidate.key);
      if (holder === undefined) free.push(candidate);
      else held.push({ candidate, holder });
    }
    const write = Promise.all([writeAll(free, NOTHING_KNOWN), held.length === 0 ? undefined : writeAfterHolders(held, writeAll)]).then(
      (): KnownStates => context.known,
    );
    inFlight.hold(
      candidates.map((c) => c.key),
      write,
    );
    await write;
  }
  const outcomes = context.outcomes;

  return inputs.map(({ key, version }, index): UpsertOutcome => {
    const winner = outcomes.get(key) as UpsertOutcome;
    if (winners.get(key)?.index === index) return winner;
    // A duplicate that lost inside the batch: stale against what the batch left stored.
    const storedVersion = winner.status === 'applied' ? winner.version : winner.storedVersion;
    return { status: 'stale', key, version, storedVersion, revision: winner.revision };
  });
}

const NOTHING_KNOWN: KnownStates = new Map();

/** Writes keys held by earlier upserts once all of those have settled, each from the state its own holder left. */
async function writeAfterHolders(
  held: readonly { candidate: Candidate; holder: Promise<KnownStates> }[],
  writeAll: (group: readonly Candidate[], known: KnownStates) => Promise<void>,
): Promise<void> {
  const holders = [...new Set(held.map((h) => h.holder))];
  const settled = await Promise.allSettled(holders);
  const known = new Map<string, KeyState>();
  for (const { candidate, holder } of held) {
    const result = settled[holders.indexOf(holder)];
    // A holder that failed left its keys in an unknown state: those are read again.
    const state = result?.status === 'fulfilled' ? result.value.get(candidate.key) : undefined;
    if (state !== undefined) known.set(candidate.key, state);
  }
  await writeAll(
    held.map((h) => h.candidate),
    known,
  );
}

/** Reads the keys of `chunk` that `known` does not cover, then writes. */
async function upsertChunk<R>(context: GroupContext<R>, chunk: readonly Candidate[], known: KnownStates): Promise<void> {
  const unknown = chunk.filter((c) => !known.has(c.key));
  const observed = new Map<string, KeyState>();
  if (unknown.length > 0) {
    const read = await context.kv.txn({ compare: [], success: unknown.map(rangeOp) });
    readObserved(context.codec, unknown, read, undefined, observed);
  }
  for (const candidate of chunk) {
    const state = known.get(candidate.key);
    if (state !== undefined) observed.set(candidate.key, state);
  }
  await writeGroup(context, chunk, observed, 0);
}

interface GroupContext<R> {
  readonly kv: KvCalls;
  readonly codec: RecordCodec<R>;
  readonly maxAttempts: number;
  /** Shared by every group of an upsert; their keys are disjoint. */
  readonly outcomes: Map<string, UpsertOutcome>;
  /** The state each key was left in, for the next upsert of the same key. */
  readonly known: Map<string, KeyState>;
}

/**
 * One conditional Txn for the keys of `group` that are newer than what was
 * observed. A Txn fails as a whole when any one of its compares does, so after
 * a lost race the keys another writer changed are retried apart from the rest:
 * otherwise a few hot keys (a container instance is rewritten on every
 * placement) make a whole chunk lose again and again against a steady writer,
 * until it gives up. The untouched keys retry at once; the contended ones
 * after a jittered pause, each group with the attempts its lineage has left.
 */
async function writeGroup<R>(
  context: GroupContext<R>,
  group: readonly Candidate[],
  observed: ReadonlyMap<string, KeyState>,
  attempt: number,
): Promise<void> {
  const { kv, codec, outcomes, known } = context;
  const toWrite: { candidate: Candidate; modRevision: number }[] = [];
  for (const candidate of group) {
    const seen = observed.get(candidate.key) as KeyState;
    const identical = seen.value !== undefined && seen.value.equals(candidate.value);
    if (identical || (seen.version !== undefined && seen.version >= candidate.version)) {
      outcomes.set(candidate.key, {
        status: 'stale',
        key: candidate.key,
        version: candidate.version,
        storedVersion: identical ? candidate.version : (seen.version as number),
        revision: seen.at,
      });
      known.set(candidate.key, seen);
    } else {
      toWrite.push({ candidate, modRevision: seen.modRevision });
    }
  }
  if (toWrite.length === 0) return;
  if (attempt >= context.maxAttempts) {
    throw new WriteContentionError(
      toWrite.map((w) => w.candidate.key),
      context.maxAttempts,
    );
  }

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
      // Every put of a Txn gets the Txn's revision as its mod revision.
      known.set(candidate.key, { modRevision: revision, version: candidate.version, value: candidate.value, at: revision });
    }
    return;
  }

  kv.counter.conflicts++;
  const attempted = toWrite.map((w) => w.candidate);
  const fresh = readObserved(codec, attempted, response, observed, new Map());
  const changed: Candidate[] = [];
  const untouched: Candidate[] = [];
  for (const { candidate, modRevision } of toWrite) {
    ((fresh.get(candidate.key) as KeyState).modRevision === modRevision ? untouched : changed).push(candidate);
  }
  const contended = async (): Promise<void> => {
    await jitteredBackoff(attempt, 1, 50);
    await writeGroup(context, changed.length > 0 ? changed : attempted, fresh, attempt + 1);
  };
  await Promise.all([
    changed.length > 0 && untouched.length > 0 ? writeGroup(context, untouched, fresh, attempt + 1) : undefined,
    contended(),
  ]);
}

function rangeOp(candidate: Candidate): IRequestOp {
  return { request_range: { key: candidate.keyBytes } };
}

/**
 * Responses come back in request order, one range per candidate. A key whose
 * mod revision is the one `previous` saw holds the same bytes, so it is not
 * decoded again: after a lost race only the keys that changed cost a decode.
 */
function readObserved<R>(
  codec: RecordCodec<R>,
  candidates: readonly Candidate[],
  response: ITxnResponse,
  previous: ReadonlyMap<string, KeyState> | undefined,
  into: Map<string, KeyState>,
): Map<string, KeyState> {
  const at = toRevision(response.header.revision);
  candidates.forEach((candidate, i) => {
    const kv: IKeyValue | undefined = response.responses[i]?.response_range?.kvs[0];
    if (kv === undefined) {
      into.set(candidate.key, { modRevision: 0, version: undefined, value: undefined, at });
      return;
    }
    const modRevision = toRevision(kv.mod_revision);
    const known = previous?.get(candidate.key);
    into.set(candidate.key, known !== undefined && known.modRevision === modRevision ? { ...known, at } : observe(codec, kv, modRevision, at));
  });
  return into;
}

function observe<R>(codec: RecordCodec<R>, kv: IKeyValue, modRevision: number, at: number): KeyState {
  let version: number;
  try {
    const key = kv.key.toString();
    version = codec.storedVersion ? codec.storedVersion(key, kv.value) : codec.versionOf(codec.decode(key, kv.value));
  } catch {
    version = UNDECODABLE_VERSION;
  }
  return { modRevision, version, value: kv.value, at };
}
