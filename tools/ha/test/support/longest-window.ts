/**
 * Samples a reading every `intervalMs` and keeps the largest value seen: for a
 * gauge such as "seconds since the last accepted write", the longest time a
 * service went without. Readings that fail (the service busy or restarting)
 * are skipped.
 */
export function sampleMaximum(read: () => Promise<number>, intervalMs = 100): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const value = await read().catch(() => undefined);
      if (value !== undefined && Number.isFinite(value)) max = Math.max(max, value);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

/** The value of the first sample of `name` in Prometheus text; undefined when absent. */
export function metricValue(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}
