import type { RecordKind, StateRecord } from '@ecs-state/domain';
import type { WatchEvent } from '@ecs-state/etcd-store';
import type { DecodeEntry } from './entry-decoder';
import { listAtRevision } from './list-at-revision';
import type { ListQuery, ListResult } from './list-query';
import type { LoadedSnapshot } from './snapshot-loader';
import type { DecodedRecord } from './tolerant-codec';
import type { ViewChange, ViewEntry } from './view-entry';
import { ViewIndex } from './view-index';

/**
 * The entries the view holds now and the etcd revision they reflect: what the
 * reflector delivers is applied here, and each applied event becomes the
 * change the history records and subscribers receive.
 */
export class ViewStore<S = StateRecord> {
  private readonly index = new ViewIndex<S>();
  private current = 0;
  private appliedAt: number | undefined;

  constructor(
    private readonly decode: DecodeEntry<S>,
    private readonly now: () => number,
  ) {}

  get revision(): number {
    return this.current;
  }

  /** When a load or a watch event last changed the store (ms since the epoch). */
  get lastEventAt(): number | undefined {
    return this.appliedAt;
  }

  get(key: string): ViewEntry<S> | undefined {
    return this.index.get(key);
  }

  count(kind: RecordKind): number {
    return this.index.count(kind);
  }

  values(kind: RecordKind): IterableIterator<ViewEntry<S>> {
    return this.index.values(kind);
  }

  clusterArnsNamed(name: string): readonly string[] {
    return this.index.clusterArnsNamed(name);
  }

  replace(snapshot: LoadedSnapshot<S>): void {
    this.index.reset(snapshot.entries);
    this.current = snapshot.revision;
    this.appliedAt = this.now();
  }

  /** Applies watch events in order; returns the changes they made to what the view serves. */
  apply(events: readonly WatchEvent<DecodedRecord<S>>[]): ViewChange<S>[] {
    if (events.length > 0) this.appliedAt = this.now();
    const changes: ViewChange<S>[] = [];
    for (const event of events) {
      const change = this.applyOne(event);
      if (change !== null) changes.push(change);
      this.advanceTo(event.type === 'put' ? event.modRevision : event.revision);
    }
    return changes;
  }

  /** The watch confirmed that nothing under the prefix changed up to `revision`. */
  advanceTo(revision: number): void {
    if (revision > this.current) this.current = revision;
  }

  /** See listAtRevision; `overlay` undoes the changes made after `revision`. */
  list(query: ListQuery<S>, revision: number, overlay: ReadonlyMap<string, ViewEntry<S> | null>): ListResult<S> {
    return listAtRevision(this.index, query, revision, overlay);
  }

  private applyOne(event: WatchEvent<DecodedRecord<S>>): ViewChange<S> | null {
    if (event.type === 'delete') {
      const previous = this.index.remove(event.key);
      if (previous === null) return null;
      return { type: 'delete', key: event.key, kind: previous.kind, revision: event.revision, entry: null, previous };
    }
    const entry = this.decode(event);
    if (entry === null) {
      // A value the view cannot serve replaces what was there: it is no longer that record.
      const previous = this.index.remove(event.key);
      if (previous === null) return null;
      return { type: 'delete', key: event.key, kind: previous.kind, revision: event.modRevision, entry: null, previous };
    }
    const previous = this.index.put(entry);
    return { type: 'put', key: entry.key, kind: entry.kind, revision: entry.modRevision, entry, previous };
  }
}
