import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { STREAM_END_REASONS } from '../streams/stream-session';
import type { ApiView } from '../v1/api-record';

/** The api's HTTP and stream metric names. */
export const API_METRICS = {
  requests: 'ecs_state_api_http_requests_total',
  duration: 'ecs_state_api_http_request_duration_seconds',
  streamsOpened: 'ecs_state_api_stream_clients_opened_total',
  streamsEnded: 'ecs_state_api_stream_clients_ended_total',
  streamClients: 'ecs_state_api_stream_clients',
  listBodies: 'ecs_state_api_list_bodies_writing',
} as const;

/** The names of the in-memory view's metrics, as the api exports them. */
export const VIEW_METRICS = {
  revision: 'ecs_state_view_revision',
  staleness: 'ecs_state_view_staleness_seconds',
  inSync: 'ecs_state_view_in_sync',
  tasks: 'ecs_state_view_tasks',
  instances: 'ecs_state_view_instances',
  historyChanges: 'ecs_state_view_history_changes',
  resyncs: 'ecs_state_view_resyncs_total',
  lastEventAge: 'ecs_state_view_last_event_age_seconds',
} as const;

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
export function registerApiMetrics(registry: Registry, view: Pick<ApiView, 'status'>, open: OpenResponses): ApiMetrics {
  const requests = new Counter({
    name: API_METRICS.requests,
    help: 'HTTP requests answered, by route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: API_METRICS.duration,
    help: 'Time to answer an HTTP request (streams excluded), by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  const opened = new Counter({
    name: API_METRICS.streamsOpened,
    help: 'Stream clients connected, by record kind, format and source (memory history or a dedicated etcd watch)',
    labelNames: ['kind', 'format', 'source'] as const,
    registers: [registry],
  });
  const ended = new Counter({
    name: API_METRICS.streamsEnded,
    help: 'Stream clients ended, by reason (client_closed, slow_client, server_shutdown, view_resync, view_stopped)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  for (const reason of STREAM_END_REASONS) ended.inc({ reason }, 0);
  new Gauge({
    name: API_METRICS.streamClients,
    help: 'Stream clients connected now',
    registers: [registry],
    collect() {
      this.set(open.streamClients());
    },
  });
  new Gauge({
    name: API_METRICS.listBodies,
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
  viewGauge(VIEW_METRICS.revision, 'The etcd revision the in-memory view reflects', () => view.status().revision);
  viewGauge(VIEW_METRICS.staleness, 'Upper bound of how far the view may be behind etcd', () => {
    const ms = view.status().stalenessMs;
    return Number.isFinite(ms) ? ms / 1000 : -1;
  });
  viewGauge(VIEW_METRICS.inSync, '1 when the view is in sync with etcd (readiness)', () => (view.status().inSync ? 1 : 0));
  viewGauge(VIEW_METRICS.tasks, 'Tasks held by the view', () => view.status().tasks);
  viewGauge(VIEW_METRICS.instances, 'Container instances held by the view', () => view.status().instances);
  viewGauge(VIEW_METRICS.historyChanges, 'Changes held in the view history', () => view.status().historySize);
  // The view keeps its own running count; each scrape adds what it grew by since the previous one.
  let resyncsCounted = 0;
  new Counter({
    name: VIEW_METRICS.resyncs,
    help: 'Times the view reloaded from a fresh snapshot',
    registers: [registry],
    collect() {
      const resyncs = view.status().resyncs;
      if (resyncs > resyncsCounted) this.inc(resyncs - resyncsCounted);
      resyncsCounted = Math.max(resyncsCounted, resyncs);
    },
  });
  viewGauge(VIEW_METRICS.lastEventAge, 'Seconds since the view last applied a change from its etcd watch (since it loaded before the first; -1 before it loads)', () => {
    const at = view.status().lastEventAt;
    return at === undefined ? -1 : (Date.now() - at) / 1000;
  });
  return { requests, duration, streams: { opened, ended } };
}
