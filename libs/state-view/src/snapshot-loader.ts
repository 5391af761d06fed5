import type { VersionedRecordStore } from '@ecs-state/etcd-store';
import type { DecodeEntry } from './entry-decoder';
import type { DecodedRecord } from './tolerant-codec';
import type { ViewEntry } from './view-entry';

export interface LoadedSnapshot<S> {
  /** The etcd revision every entry reflects; the watch continues after it. */
  readonly revision: number;
  readonly entries: ViewEntry<S>[];
}

/**
 * Reads everything under the prefix at one revision, for the first load and
 * every reload. The only code that reads the whole prefix at once: how much a
 * load holds in memory is decided here.
 */
export async function loadSnapshot<S>(
  etcd: VersionedRecordStore<DecodedRecord<S>>,
  rootPrefix: string,
  decode: DecodeEntry<S>,
): Promise<LoadedSnapshot<S>> {
  const snapshot = await etcd.snapshot(rootPrefix);
  const entries: ViewEntry<S>[] = [];
  for (const item of snapshot.items) {
    const entry = decode(item);
    if (entry !== null) entries.push(entry);
  }
  return { revision: snapshot.revision, entries };
}
