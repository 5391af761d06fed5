import type { StateRecord } from '@ecs-state/domain';
import type { ListQuery, ListResult } from './list-query';
import { compareKeys } from './sorted-keys';
import type { ViewEntry } from './view-entry';
import type { ViewIndex } from './view-index';

/**
 * One page of entries of a kind in key order, as they were at `revision`:
 * the current index with `overlay` (ChangeHistory.stateAt) laid over it, so
 * that keys changed or deleted since read as they were then.
 */
export function listAtRevision<S = StateRecord>(
  index: ViewIndex<S>,
  query: ListQuery<S>,
  revision: number,
  overlay: ReadonlyMap<string, ViewEntry<S> | null>,
): ListResult<S> {
  const keys = index.keys(query.kind);
  const start = query.afterKey ?? query.keyPrefix ?? '';
  // Keys deleted after `revision` still belong to the listing at `revision`.
  const removed = [...overlay.entries()]
    .filter(([key, entry]) => entry !== null && entry.kind === query.kind && index.get(key) === undefined)
    .map(([key]) => key)
    .filter((key) => compareKeys(key, start) >= 0)
    .sort(compareKeys);
  let i = keys.lowerBound(start);
  let j = 0;
  const items: ViewEntry<S>[] = [];
  let lastKey: string | undefined;
  for (;;) {
    const current = keys.at(i);
    const gone = removed[j];
    let key: string;
    if (current === undefined && gone === undefined) break;
    if (gone === undefined || (current !== undefined && compareKeys(current, gone) < 0)) {
      key = current as string;
      i++;
    } else {
      key = gone;
      j++;
    }
    if (key === query.afterKey) continue;
    if (query.keyPrefix !== undefined && !key.startsWith(query.keyPrefix)) {
      if (compareKeys(key, query.keyPrefix) > 0) break;
      continue;
    }
    const entry = overlay.has(key) ? overlay.get(key) : index.get(key);
    if (entry === null || entry === undefined) continue;
    if (query.filter !== undefined && !query.filter(entry)) continue;
    if (items.length === query.limit) {
      lastKey = items[items.length - 1]?.key;
      break;
    }
    items.push(entry);
  }
  return { items, revision, ...(lastKey === undefined ? {} : { lastKey }) };
}
