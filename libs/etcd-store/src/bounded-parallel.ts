/**
 * Runs `task` over `items` with at most `limit` running at once, in order of
 * the items; rejects with the first failure, after which no further item is
 * started.
 */
export async function runBounded<T, U>(items: readonly T[], limit: number, task: (item: T) => Promise<U>): Promise<U[]> {
  const results: U[] = new Array<U>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
