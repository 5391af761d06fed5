import type { StoredRecord } from '@ecs-state/etcd-store';
import { LocationInterner } from './location-interner';
import type { DecodedRecord } from './tolerant-codec';
import type { ViewEntry } from './view-entry';
import type { ViewLogger } from './view-logger';

/** What the snapshot, the watch and a replay read, as a view entry; null (and a log line) for what the view cannot serve. */
export type DecodeEntry<S> = (stored: Pick<StoredRecord<DecodedRecord<S>>, 'key' | 'record' | 'modRevision'>) => ViewEntry<S> | null;

export function createEntryDecoder<S>(logger: ViewLogger): DecodeEntry<S> {
  const locations = new LocationInterner();
  return (stored) => {
    const decoded = stored.record;
    if (!decoded.ok) {
      logger.warn('state view skips a value it cannot decode', { key: stored.key, error: decoded.error });
      return null;
    }
    // The codec checked that the record's kind is the one its key names.
    const { location } = decoded;
    return { key: stored.key, kind: location.kind, state: decoded.state, location: locations.intern(location), modRevision: stored.modRevision };
  };
}
