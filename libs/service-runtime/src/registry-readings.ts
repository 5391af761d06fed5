import type { Registry } from 'prom-client';

/** A value read when metrics are published; undefined when there is none to report. */
export type Reading = () => Promise<number | undefined>;

function matches(sampleLabels: Readonly<Record<string, unknown>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([name, value]) => String(sampleLabels[name]) === value);
}

async function sampleValues(registry: Registry, name: string, labels: Readonly<Record<string, string>>): Promise<number[]> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric ${name} in the registry`);
  // get() runs the metric's collect(), as a scrape would.
  const { values } = await metric.get();
  return values.filter((sample) => matches(sample.labels, labels)).map((sample) => sample.value);
}

/**
 * How much the counters named grew since the previous reading, summed over their samples
 * whose labels include `labels`: CloudWatch sums per period, Prometheus counters only grow.
 */
export function counterIncrease(registry: Registry, names: readonly string[], labels: Readonly<Record<string, string>> = {}): Reading {
  let previous = 0;
  return async () => {
    let total = 0;
    for (const name of names) for (const value of await sampleValues(registry, name, labels)) total += value;
    const increase = Math.max(0, total - previous);
    previous = total;
    return increase;
  };
}

/**
 * The largest current value of the samples of gauge `name` whose labels include `labels`,
 * or undefined when it has none: "any alarm raised", "the worst replica".
 */
export function gaugeMax(registry: Registry, name: string, labels: Readonly<Record<string, string>> = {}): Reading {
  return async () => {
    const values = await sampleValues(registry, name, labels);
    return values.length === 0 ? undefined : Math.max(...values);
  };
}
