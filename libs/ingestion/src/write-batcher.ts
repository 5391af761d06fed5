/**
 * Coalesces the records of several concurrent pollers into larger store writes.
 * Each SQS receive yields at most 10 messages; writing them one receive at a time
 * would cap a batch at 10 records, while etcd's cost is per round trip. Callers
 * submit and wait; whatever accumulates while a write is in flight goes out in
 * the next one, so batching adds no delay of its own.
 *
 * `maxInFlight` writes at a time: one makes the largest batches and the least
 * CPU per record (and concurrent batches of one process would share hot keys,
 * which the store then writes one after the other anyway); more overlap etcd
 * round trips, which pays when etcd is far away and CPU is not the limit.
 */
export class WriteBatcher<Item, Outcome> {
  private readonly pending: { items: Item[]; resolve: (o: Outcome[]) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: Item[]) => Promise<Outcome[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight = 1,
  ) {}

  submit(items: Item[]): Promise<Outcome[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pump();
    });
  }

  /** Submissions waiting for a write slot. */
  get queued(): number {
    return this.pending.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const taken: typeof this.pending = [];
      let size = 0;
      while (this.pending.length > 0) {
        const next = this.pending[0]!;
        if (taken.length > 0 && size + next.items.length > this.maxBatch) break;
        taken.push(this.pending.shift()!);
        size += next.items.length;
      }
      this.inFlight += 1;
      void this.flush(taken);
    }
  }

  private async flush(taken: typeof this.pending): Promise<void> {
    try {
      const outcomes = await this.write(taken.flatMap((t) => t.items));
      let offset = 0;
      for (const t of taken) {
        t.resolve(outcomes.slice(offset, offset + t.items.length));
        offset += t.items.length;
      }
    } catch (err) {
      for (const t of taken) t.reject(err);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }
}
