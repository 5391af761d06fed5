import { Gauge, type Registry } from 'prom-client';
import { ETCD_ALARMS, type EtcdStatusMonitor } from './etcd-status-monitor';

/**
 * The etcd-status metric names, the same in every service: the registry's
 * `service` label tells the exporters apart, so one query or alert covers all.
 */
export const ETCD_STATUS_METRICS = {
  dbSizeBytes: 'ecs_state_etcd_db_size_bytes',
  dbSizeInUseBytes: 'ecs_state_etcd_db_size_in_use_bytes',
  quotaBytes: 'ecs_state_etcd_quota_bytes',
  statusAgeSeconds: 'ecs_state_etcd_status_age_seconds',
  alarm: 'ecs_state_etcd_alarm',
  lastWriteAgeSeconds: 'ecs_state_etcd_last_write_age_seconds',
} as const;

export interface EtcdStatusMetricsOptions {
  /**
   * When this service's writes were last accepted by etcd (undefined before the
   * first): exported as `ecs_state_etcd_last_write_age_seconds`, counted from
   * `startedAt` until the first write.
   */
  readonly lastWriteAt?: () => number | undefined;
  readonly startedAt?: number;
  readonly now?: () => number;
}

/**
 * What an operator watches of etcd from a service: database size against the
 * quota, raised alarms, and the age of the last status read and of the last
 * accepted write. Gauges are read from the monitor at each scrape.
 */
export function registerEtcdStatusMetrics(registry: Registry, monitor: EtcdStatusMonitor, options: EtcdStatusMetricsOptions = {}): void {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const registers = [registry];
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  gauge(ETCD_STATUS_METRICS.dbSizeBytes, "Size of etcd's database file (member that answered the last status read); etcd raises NOSPACE when it reaches the quota", () => monitor.current()?.dbSizeBytes);
  gauge(ETCD_STATUS_METRICS.dbSizeInUseBytes, "Part of etcd's database in use; the difference to db_size_bytes is what a defragmentation returns", () => monitor.current()?.dbSizeInUseBytes);
  gauge(ETCD_STATUS_METRICS.quotaBytes, "etcd's --quota-backend-bytes as configured (ETCD_QUOTA_BACKEND_BYTES)", () => monitor.quotaBytes);
  gauge(ETCD_STATUS_METRICS.statusAgeSeconds, "Seconds since etcd's maintenance status was last read successfully (-1 before the first read)", () => {
    const status = monitor.current();
    return status === undefined ? -1 : (now() - status.at) / 1000;
  });
  new Gauge({
    name: ETCD_STATUS_METRICS.alarm,
    help: 'etcd alarm raised (1) or not (0), by alarm (NOSPACE: database full, writes refused; CORRUPT)',
    labelNames: ['alarm'] as const,
    registers,
    collect() {
      const raised = monitor.current()?.alarms ?? [];
      for (const alarm of new Set<string>([...ETCD_ALARMS, ...raised])) this.set({ alarm }, raised.includes(alarm) ? 1 : 0);
    },
  });
  const lastWriteAt = options.lastWriteAt;
  if (lastWriteAt !== undefined) {
    gauge(ETCD_STATUS_METRICS.lastWriteAgeSeconds, 'Seconds since etcd last accepted a write of this process (since its start before the first)', () => (now() - (lastWriteAt() ?? startedAt)) / 1000);
  }
}
