export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentiles of latencies in milliseconds. */
export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const count = sorted.length;
  if (count === 0) return { count, p50: Number.NaN, p99: Number.NaN, max: Number.NaN, mean: Number.NaN };
  const rank = (p: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))] as number;
  let total = 0;
  for (const value of sorted) total += value;
  return { count, p50: rank(50), p99: rank(99), max: sorted[count - 1] as number, mean: total / count };
}

export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
