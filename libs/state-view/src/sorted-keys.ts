/** Keys in byte order (etcd's order), kept sorted under inserts and removals. */
export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Replaces the content; `keys` need not be sorted. */
  reset(keys: string[]): void {
    this.keys = keys.slice().sort(compareKeys);
  }

  add(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] !== key) this.keys.splice(index, 0, key);
  }

  remove(key: string): void {
    const index = this.lowerBound(key);
    if (this.keys[index] === key) this.keys.splice(index, 1);
  }

  /** Index of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid] as string, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  at(index: number): string | undefined {
    return this.keys[index];
  }
}

/**
 * Keys are ASCII (the key layout admits only ARN characters), where UTF-16
 * order equals etcd's byte order.
 */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
