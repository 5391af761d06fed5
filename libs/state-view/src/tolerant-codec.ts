import type { KeyPrefix, ParsedKey, StateRecord } from '@ecs-state/domain';
import { decodeStateRecordAt, type LocatedStateRecord, type RecordCodec } from '@ecs-state/etcd-store';

/**
 * A stored value as the view keeps it (see RecordProjection), with its key's
 * parse (the decoding parsed it; the view's entry reuses it), or why it could
 * not be read.
 */
export type DecodedRecord<S = StateRecord> =
  | { readonly ok: true; readonly state: S; readonly location: ParsedKey }
  | { readonly ok: false; readonly error: string };

/**
 * What the view keeps of each record. It runs as each value is decoded, so
 * the parsed record is garbage before the next value is read: a snapshot of
 * 100,000 records never holds 100,000 object trees at once.
 */
export type RecordProjection<S> = (record: StateRecord) => S;

/**
 * The view's codec never throws while decoding: one bad value under the
 * prefix must not stop the snapshot or the watch. The view skips (and logs)
 * what it cannot read. The view only reads, so the codec cannot encode.
 */
export function createTolerantCodec<S>(prefix: KeyPrefix, project: RecordProjection<S>): RecordCodec<DecodedRecord<S>> {
  const readOnly = (): never => {
    throw new Error('the state view does not write records');
  };
  return {
    keyOf: readOnly,
    versionOf: readOnly,
    encode: readOnly,
    decode(key, bytes) {
      let located: LocatedStateRecord;
      try {
        located = decodeStateRecordAt(prefix, key, bytes);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
      return { ok: true, state: project(located.record), location: located.location };
    },
  };
}
