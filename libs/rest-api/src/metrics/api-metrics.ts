import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ApiView } from '../v1/api-record';

export interface StreamMetrics {
  readonly opened: Counter<'kind' | 'format' | 'source'>;
  readonly ended: Counter<'reason'>;
}

export interface ApiMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
  readonly streams: StreamMetrics;
}

/** What the gauges of open responses read. */
export interface OpenResponses {
  readonly streamClients: () => number;
  readonly listBodies: () => number;
}

/** HTTP, stream, list and view metrics on the given registry. */
export function registerApiMetrics(registry: Registry, view: ApiView, open: OpenResponses): ApiMetrics {
  const requests = new Counter({
    name: 'api_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'api_http_request_duration_seconds',
    help: 'Time to answer an HTTP request (streams excluded), by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const opened = new Counter({
    name: 'api_stream_clients_opened_total',
    help: 'Stream clients connected, by record kind, format and source (memory history or a dedicated etcd watch)',
    labelNames: ['kind', 'format', 'source'] as const,
    registers: [registry],
  });
  const ended = new Counter({
    name: 'api_stream_clients_ended_total',
    help: 'Stream clients ended, by reason (client_closed, slow_client, server_shutdown, view_resync, view_stopped)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'api_stream_clients',
    help: 'Stream clients connected now',
    registers: [registry],
    collect() {
      this.set(open.streamClients());
    },
  });
  new Gauge({
    name: 'api_list_bodies_writing',
    help: 'Lists without limit whose body is still being written (each holds its listed entries until done)',
    registers: [registry],
    collect() {
      this.set(open.listBodies());
    },
  });
  const viewGauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  viewGauge('api_view_revision', 'The etcd revision the in-memory view reflects', () => view.status().revision);
  viewGauge('api_view_staleness_seconds', 'Upper bound of how far the view may be behind etcd', () => {
    const ms = view.status().stalenessMs;
    return Number.isFinite(ms) ? ms / 1000 : -1;
  });
  viewGauge('api_view_in_sync', '1 when the view is in sync with etcd (readiness)', () => (view.status().inSync ? 1 : 0));
  viewGauge('api_view_tasks', 'Tasks held by the view', () => view.status().tasks);
  viewGauge('api_view_instances', 'Container instances held by the view', () => view.status().instances);
  viewGauge('api_view_history_changes', 'Changes held in the view history', () => view.status().historySize);
  viewGauge('api_view_resyncs', 'Times the view reloaded from a fresh snapshot', () => view.status().resyncs);
  viewGauge('api_view_last_event_age_seconds', 'Seconds since the view last applied a change from its etcd watch (since it loaded before the first; -1 before it loads)', () => {
    const at = view.status().lastEventAt;
    return at === undefined ? -1 : (Date.now() - at) / 1000;
  });
  return { requests, duration, streams: { opened, ended } };
}
