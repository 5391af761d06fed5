/** A FIFO of records waiting for their retention to run out. */
export class RetentionQueue<T> {
  private items: T[] = [];
  private head = 0;

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and yields leading items for which `expired` holds. */
  *drain(expired: (item: T) => boolean): IterableIterator<T> {
    while (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      if (!expired(item)) break;
      this.head++;
      yield item;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
