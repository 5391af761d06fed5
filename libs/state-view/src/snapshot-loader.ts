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
 * every reload. The only code that reads the whole prefix: it takes one page
 * at a time (etcd-store's snapshotPages, the next page already requested) and
 * keeps only the entries, so a load holds one page of values and stored
 * records besides what the view will serve.
 */
export async function loadSnapshot<S>(
  etcd: VersionedRecordStore<DecodedRecord<S>>,
  rootPrefix: string,
  decode: DecodeEntry<S>,
): Promise<LoadedSnapshot<S>> {
  const entries: ViewEntry<S>[] = [];
  let revision: number | undefined;
  for await (const page of etcd.snapshotPages(rootPrefix)) {
    revision = page.revision;
    for (const item of page.items) {
      const entry = decode(item);
      if (entry !== null) entries.push(entry);
    }
  }
  if (revision === undefined) throw new Error('a snapshot read yields at least one page');
  return { revision, entries };
}
