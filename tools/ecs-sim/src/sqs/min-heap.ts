/** Binary min-heap ordered by a numeric key. */
export class MinHeap<T> {
  private readonly keys: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  push(key: number, value: T): void {
    this.keys.push(key);
    this.values.push(value);
    this.siftUp(this.keys.length - 1);
  }

  pop(): T | undefined {
    const n = this.keys.length;
    if (n === 0) return undefined;
    const top = this.values[0] as T;
    const lastKey = this.keys.pop() as number;
    const lastValue = this.values.pop() as T;
    if (n > 1) {
      this.keys[0] = lastKey;
      this.values[0] = lastValue;
      this.siftDown(0);
    }
    return top;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
  }

  private siftUp(i: number): void {
    const key = this.keys[i] as number;
    const value = this.values[i] as T;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentKey = this.keys[parent] as number;
      if (parentKey <= key) break;
      this.keys[i] = parentKey;
      this.values[i] = this.values[parent] as T;
      i = parent;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }

  private siftDown(i: number): void {
    const n = this.keys.length;
    const key = this.keys[i] as number;
    const value = this.values[i] as T;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && (this.keys[right] as number) < (this.keys[left] as number) ? right : left;
      const childKey = this.keys[child] as number;
      if (childKey >= key) break;
      this.keys[i] = childKey;
      this.values[i] = this.values[child] as T;
      i = child;
    }
    this.keys[i] = key;
    this.values[i] = value;
  }
}
