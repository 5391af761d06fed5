import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's variables in a query, replaced by what Grafana sends to Prometheus in their place. */
const GRAFANA_VARIABLES: Record<string, string> = { $__rate_interval: '1m', $__interval: '1m', $__range: '1h' };

export interface ParsedQuery {
  /** Where the parser found no valid PromQL, as the text around it; empty when it all parses. */
  errors: string[];
  /** Metric names of the query's selectors. */
  metrics: string[];
}

/** Parses a PromQL expression with Prometheus's own grammar (the one its web UI uses). */
export function parsePromQL(query: string): ParsedQuery {
  const text = query.replace(/\$__[a-z_]+/g, (name) => GRAFANA_VARIABLES[name] ?? name);
  const tree = parser.parse(text);
  const errors: string[] = [];
  const metrics = new Set<string>();
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`"${text.slice(Math.max(0, node.from - 10), node.to + 10)}" at ${node.from}`);
      if (node.name === 'VectorSelector') {
        const identifier = node.node.getChild('Identifier');
        if (identifier) metrics.add(text.slice(identifier.from, identifier.to));
      }
    },
  });
  return { errors, metrics: [...metrics] };
}

/**
 * The series names a Prometheus text exposition offers, from its `# TYPE` lines: a metric
 * with labels but no sample yet still has one. Histograms and summaries add their suffixes.
 */
export function exposedSeries(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name = '', type] = match;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}
