import { Gauge, type Registry } from 'prom-client';
import { ETCD_ALARMS, type EtcdStatusMonitor } from './etcd-status-monitor';

export interface EtcdStatusMetricsOptions {
  /** The service's metric namespace, e.g. `ingestor` → `ingestor_etcd_alarm`. */
  readonly prefix: string;
  /**
   * When this service's writes were last accepted by etcd (undefined before the
   * first): exported as `<prefix>_etcd_last_write_age_seconds`, counted from
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
export function registerEtcdStatusMetrics(registry: Registry, monitor: EtcdStatusMonitor, options: EtcdStatusMetricsOptions): void {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const registers = [registry];
  const gauge = (suffix: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name: `${options.prefix}_etcd_${suffix}`,
      help,
      registers,
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  gauge('db_size_bytes', "Size of etcd's database file (member that answered the last status read); etcd raises NOSPACE when it reaches the quota", () => monitor.current()?.dbSizeBytes);
  gauge('db_size_in_use_bytes', "Part of etcd's database in use; the difference to db_size_bytes is what a defragmentation returns", () => monitor.current()?.dbSizeInUseBytes);
  gauge('quota_bytes', "etcd's --quota-backend-bytes as configured (ETCD_QUOTA_BACKEND_BYTES)", () => monitor.quotaBytes);
  gauge('status_age_seconds', "Seconds since etcd's maintenance status was last read successfully (-1 before the first read)", () => {
    const status = monitor.current();
    return status === undefined ? -1 : (now() - status.at) / 1000;
  });
  new Gauge({
    name: `${options.prefix}_etcd_alarm`,
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
    gauge('last_write_age_seconds', 'Seconds since etcd last accepted a write of this process (since its start before the first)', () => (now() - (lastWriteAt() ?? startedAt)) / 1000);
  }
}
