import { runBounded } from './bounded-parallel';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('runBounded', () => {
  it('keeps at most the limit running and returns the results in the order of the items', async () => {
    let running = 0;
    let peak = 0;
    const results = await runBounded([5, 4, 3, 2, 1, 0], 2, async (n) => {
      peak = Math.max(peak, ++running);
      for (let i = 0; i < n; i++) await tick();
      running--;
      return n * 10;
    });
    expect(results).toEqual([50, 40, 30, 20, 10, 0]);
    expect(peak).toBe(2);
  });

  it('rejects with the first failure and starts no further item', async () => {
    const started: number[] = [];
    const run = runBounded([1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 2) throw new Error('two failed');
      return n;
    });
    await expect(run).rejects.toThrow('two failed');
    await tick();
    expect(started).toEqual([1, 2, 3]);
  });
});
