import {
  canonicalJson,
  keyForRecord,
  normalizeParsedStateRecord,
  parseKey,
  recordVersion,
  storedRecordVersion,
  type KeyPrefix,
  type ParsedKey,
  type StateRecord,
} from '@ecs-state/domain';
import type { RecordCodec } from '../codec';
import { EtcdStoreError, InvalidStoreArgumentError } from '../errors';

/** A record whose ARNs do not yield a key in the layout. */
export class RecordKeyError extends EtcdStoreError {
  constructor(readonly reason: string, detail: string) {
    super(`record has no valid store key (${reason}): ${detail}`);
  }
}

/**
 * Tasks, container instances and services under one prefix. The value is the record's
 * canonical JSON (the kind is implied by the key), so equal records always
 * encode to identical bytes and re-writes are recognised.
 */
export function stateRecordCodec(prefix: KeyPrefix): RecordCodec<StateRecord> {
  return {
    keyOf(state) {
      const key = keyForRecord(prefix, state);
      if (!key.ok) throw new RecordKeyError(key.reason, key.message);
      return key.value;
    },
    versionOf(state) {
      // A service has no version to win by: it is merged (ClusterStateStore.mergeServices), never upserted.
      if (state.kind === 'service') throw new InvalidStoreArgumentError(`service ${state.record.serviceArn} has no version; merge it instead`);
      return recordVersion(state);
    },
    encode: (state) => canonicalJson(state.record),
    decode: (key, bytes) => decodeStateRecordAt(prefix, key, bytes).record,
    storedVersion(key, bytes) {
      const version = storedRecordVersion(prefix, key, JSON.parse(bytes.toString('utf8')));
      if (!version.ok) throw new Error(version.message);
      return version.value;
    },
  };
}

/** A stored value read at its key, with the key's parse, for readers that need both (a view parses every key of a load once). */
export interface LocatedStateRecord {
  readonly location: ParsedKey;
  readonly record: StateRecord;
}

/** What `stateRecordCodec(prefix).decode` reads, with the parsed key; throws as it does. */
export function decodeStateRecordAt(prefix: KeyPrefix, key: string, bytes: Buffer): LocatedStateRecord {
  const location = parseKey(prefix, key);
  if (location === null) throw new Error(`key ${key} is not in the layout under ${prefix}`);
  const normalized = normalizeParsedStateRecord(location.kind, JSON.parse(bytes.toString('utf8')));
  if (!normalized.ok) throw new Error(`${normalized.reason}: ${normalized.message}`);
  const own = keyForRecord(prefix, normalized.value);
  // A record copied under another key would otherwise be served as that key's state.
  if (!own.ok || own.value !== key) throw new Error(`record belongs at ${own.ok ? own.value : 'no valid key'}`);
  return { location, record: normalized.value };
}
