import type { StateRecord } from '@ecs-state/domain';
import { RevisionUnavailableError } from './errors';
import type { ViewChange, ViewEntry } from './view-entry';

/**
 * The most recent changes, oldest first, in a fixed-size ring. It lets a
 * stream start from a past revision and a paged listing read a past revision
 * without asking etcd, as long as the revision is not older than `completeAfter`.
 */
export class ChangeHistory<S = StateRecord> {
  private readonly ring: (ViewChange<S> | undefined)[];
  private start = 0;
  private length = 0;
  private complete: number;

  constructor(
    readonly capacity: number,
    completeAfter: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<ViewChange<S> | undefined>(capacity);
    this.complete = completeAfter;
  }

  get size(): number {
    return this.length;
  }

  /** Every change with a revision greater than this one is held. */
  get completeAfter(): number {
    return this.complete;
  }

  /** Forgets everything; changes after `revision` will be complete again. */
  reset(revision: number): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.length = 0;
    this.complete = revision;
  }

  push(change: ViewChange<S>): void {
    if (this.length === this.capacity) {
      const evicted = this.ring[this.start] as ViewChange<S>;
      // Other changes of the evicted revision may remain, but that revision is no longer whole.
      this.complete = Math.max(this.complete, evicted.revision);
      this.ring[this.start] = change;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.ring[(this.start + this.length) % this.capacity] = change;
    this.length++;
  }

  covers(afterRevision: number): boolean {
    return afterRevision >= this.complete;
  }

  /**
   * Throws RevisionUnavailableError unless the changes after `afterRevision`
   * can be served from here by a view at revision `current`.
   */
  check(afterRevision: number, current: number): void {
    if (afterRevision > current) throw new RevisionUnavailableError(afterRevision, 'in_future', this.complete, current);
    if (!this.covers(afterRevision)) throw new RevisionUnavailableError(afterRevision, 'too_old', this.complete, current);
  }

  /** Changes with a revision greater than `afterRevision`, oldest first. Call `covers` first. */
  since(afterRevision: number): ViewChange<S>[] {
    const out: ViewChange<S>[] = [];
    for (let i = this.length - 1; i >= 0; i--) {
      const change = this.ring[(this.start + i) % this.capacity] as ViewChange<S>;
      if (change.revision <= afterRevision) break;
      out.push(change);
    }
    return out.reverse();
  }

  /**
   * For every key changed after `revision`, the entry it had at `revision`
   * (null: it did not exist). Keys absent from the map are unchanged since.
   */
  stateAt(revision: number): Map<string, ViewEntry<S> | null> {
    const overlay = new Map<string, ViewEntry<S> | null>();
    // Newest to oldest, so the oldest change after `revision` sets the value last.
    for (let i = this.length - 1; i >= 0; i--) {
      const change = this.ring[(this.start + i) % this.capacity] as ViewChange<S>;
      if (change.revision <= revision) break;
      overlay.set(change.key, change.previous);
    }
    return overlay;
  }
}
