/**
 * A set of values kept in the order they entered it, that can be paged from any
 * earlier position in O(log n + page). Entries get increasing sequence numbers;
 * a page token is the last sequence number returned. `add` hands back the entry's
 * slot, which the owner keeps to remove it in O(1) without a lookup table.
 * Removal leaves a hole that is compacted once holes outnumber live entries.
 */
export interface IndexSlot<T> {
  readonly seq: number;
  readonly owner: OrderedIndex<T>;
  value: T | undefined;
}

export interface IndexPage<T> {
  readonly items: T[];
  /** The sequence number to resume after, when more matching entries follow. */
  readonly next?: number;
}

export class OrderedIndex<T> {
  /**
   * Shared by all indexes, so that an index dropped when empty and created again
   * never reuses a sequence number an outstanding page token may hold.
   */
  private static seq = 0;
  private slots: IndexSlot<T>[] = [];
  private live = 0;

  /** `name` lets an owner that keeps many indexes find this one again. */
  constructor(readonly name = '') {}

  get size(): number {
    return this.live;
  }

  add(value: T): IndexSlot<T> {
    const slot: IndexSlot<T> = { seq: ++OrderedIndex.seq, owner: this, value };
    this.slots.push(slot);
    this.live++;
    return slot;
  }

  remove(slot: IndexSlot<T>): void {
    if (slot.owner !== this || slot.value === undefined) return;
    slot.value = undefined;
    this.live--;
    const holes = this.slots.length - this.live;
    if (holes > 64 && holes > this.live) this.slots = this.slots.filter((s) => s.value !== undefined);
  }

  *values(): IterableIterator<T> {
    for (const slot of this.slots) if (slot.value !== undefined) yield slot.value;
  }

  /** Up to `limit` values entered after `after` (exclusive) that satisfy `accept`. */
  page(after: number, limit: number, accept: (value: T) => boolean = () => true): IndexPage<T> {
    const items: T[] = [];
    let i = this.firstAfter(after);
    let lastSeq = after;
    for (; i < this.slots.length && items.length < limit; i++) {
      const slot = this.slots[i] as IndexSlot<T>;
      if (slot.value !== undefined && accept(slot.value)) {
        items.push(slot.value);
        lastSeq = slot.seq;
      }
    }
    for (; i < this.slots.length; i++) {
      const slot = this.slots[i] as IndexSlot<T>;
      if (slot.value !== undefined && accept(slot.value)) return { items, next: lastSeq };
    }
    return { items };
  }

  private firstAfter(after: number): number {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.slots[mid] as IndexSlot<T>).seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
