import type { KeyPrefix, StateRecord } from '@ecs-state/domain';
import { stateRecordCodec, type RecordCodec } from '@ecs-state/etcd-store';

/** A stored value, or why it could not be read. */
export type DecodedRecord = { readonly ok: true; readonly state: StateRecord } | { readonly ok: false; readonly error: string };

/**
 * The view's codec never throws: one bad value under the prefix must not stop
 * the snapshot or the watch. The view skips (and logs) what it cannot read.
 */
export function createTolerantCodec(prefix: KeyPrefix): RecordCodec<DecodedRecord> {
  const inner = stateRecordCodec(prefix);
  return {
    keyOf(decoded) {
      if (!decoded.ok) throw new Error('cannot write an undecodable record');
      return inner.keyOf(decoded.state);
    },
    versionOf: (decoded) => (decoded.ok ? inner.versionOf(decoded.state) : 0),
    encode(decoded) {
      if (!decoded.ok) throw new Error('cannot write an undecodable record');
      return inner.encode(decoded.state);
    },
    decode(key, bytes) {
      try {
        return { ok: true, state: inner.decode(key, bytes) };
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
