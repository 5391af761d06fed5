import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A registry per process with Node's default metrics. A fresh registry (rather
 * than prom-client's global one) keeps tests that start several services in one
 * process from sharing counters.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
