import { WriteBatcher } from './write-batcher';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WriteBatcher', () => {
  it('returns each submission its own outcomes, in order', async () => {
    const batcher = new WriteBatcher(async (items: number[]) => items.map((i) => i * 10), 100);
    const [a, b] = await Promise.all([batcher.submit([1, 2]), batcher.submit([3])]);
    expect(a).toEqual([10, 20]);
    expect(b).toEqual([30]);
  });

  it('coalesces what arrives while writes are in flight into one write', async () => {
    const calls: number[][] = [];
    const gate = deferred<void>();
    const batcher = new WriteBatcher(
      async (items: number[]) => {
        calls.push(items);
        if (calls.length === 1) await gate.promise;
        return items;
      },
      100,
      1,
    );
    const first = batcher.submit([1]);
    const rest = [batcher.submit([2, 3]), batcher.submit([4]), batcher.submit([5, 6, 7])];
    expect(batcher.queued).toBe(3);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(calls).toEqual([[1], [2, 3, 4, 5, 6, 7]]);
  });

  it('never exceeds the batch limit except for a single larger submission', async () => {
    const sizes: number[] = [];
    const gate = deferred<void>();
    const batcher = new WriteBatcher(
      async (items: number[]) => {
        sizes.push(items.length);
        if (sizes.length === 1) await gate.promise;
        return items;
      },
      4,
      1,
    );
    const all = [batcher.submit([0]), batcher.submit([1, 2, 3]), batcher.submit([4, 5]), batcher.submit([6, 7, 8, 9, 10])];
    gate.resolve();
    await Promise.all(all);
    expect(sizes).toEqual([1, 3, 2, 5]);
  });

  it('rejects every submission of a failed write and keeps serving later ones', async () => {
    let fail = true;
    const batcher = new WriteBatcher(async (items: number[]) => {
      if (fail) throw new Error('etcd unavailable');
      return items;
    }, 10);
    await expect(batcher.submit([1])).rejects.toThrow('etcd unavailable');
    fail = false;
    await expect(batcher.submit([2])).resolves.toEqual([2]);
  });
});
