import { RECORD_KINDS, type RecordKind, type StateRecord } from '@ecs-state/domain';
import { SortedKeys } from './sorted-keys';
import type { ViewEntry } from './view-entry';

/** The current entries by key, with the keys of each kind in key order. */
export class ViewIndex<S = StateRecord> {
  private readonly entries = new Map<string, ViewEntry<S>>();
  private readonly ordered = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, new SortedKeys()])) as Record<RecordKind, SortedKeys>;
  /**
   * Every cluster ARN seen under each cluster name since the view started. Names
   * are only added, so the set covers the view at any revision it can serve:
   * a name with one ARN narrows a listing to that cluster's key range.
   */
  private readonly clusterArnsByName = new Map<string, Set<string>>();

  get(key: string): ViewEntry<S> | undefined {
    return this.entries.get(key);
  }

  count(kind: RecordKind): number {
    return this.ordered[kind].size;
  }

  /** Every current entry of a kind, in no particular order. */
  *values(kind: RecordKind): IterableIterator<ViewEntry<S>> {
    for (const entry of this.entries.values()) if (entry.kind === kind) yield entry;
  }

  keys(kind: RecordKind): SortedKeys {
    return this.ordered[kind];
  }

  reset(entries: readonly ViewEntry<S>[]): void {
    this.entries.clear();
    for (const entry of entries) {
      this.entries.set(entry.key, entry);
      this.noteCluster(entry);
    }
    for (const kind of RECORD_KINDS) this.ordered[kind].reset(entries.filter((e) => e.kind === kind).map((e) => e.key));
  }

  /** Stores `entry`; returns what it replaced. */
  put(entry: ViewEntry<S>): ViewEntry<S> | null {
    const previous = this.entries.get(entry.key) ?? null;
    this.entries.set(entry.key, entry);
    if (previous === null) {
      this.ordered[entry.kind].add(entry.key);
      this.noteCluster(entry);
    }
    return previous;
  }

  /** The ARNs of the clusters called `name` (in any account or region) the view has seen. */
  clusterArnsNamed(name: string): readonly string[] {
    return [...(this.clusterArnsByName.get(name) ?? [])];
  }

  private noteCluster(entry: ViewEntry<S>): void {
    const { clusterName, clusterArn } = entry.location;
    let arns = this.clusterArnsByName.get(clusterName);
    if (arns === undefined) this.clusterArnsByName.set(clusterName, (arns = new Set()));
    arns.add(clusterArn);
  }

  /** Removes the key; returns what was there. */
  remove(key: string): ViewEntry<S> | null {
    const previous = this.entries.get(key) ?? null;
    if (previous !== null) {
      this.entries.delete(key);
      this.ordered[previous.kind].remove(key);
    }
    return previous;
  }
}
