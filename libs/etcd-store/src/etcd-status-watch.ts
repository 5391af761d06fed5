import type { Etcd3 } from 'etcd3';
import type { Registry } from 'prom-client';
import type { EtcdConfig } from './config/etcd-config';
import { registerEtcdStatusMetrics } from './etcd-status-metrics';
import { EtcdStatusMonitor } from './etcd-status-monitor';

/** The part of a service's logger the watch writes to. */
export interface EtcdStatusLog {
  error(message: string, meta: Record<string, unknown>): void;
  info(message: string, meta: Record<string, unknown>): void;
  debug(message: string, meta: Record<string, unknown>): void;
}

export interface EtcdStatusWatchOptions {
  readonly client: Etcd3;
  readonly config: Pick<EtcdConfig, 'statusIntervalMs' | 'quotaBackendBytes'>;
  readonly registry: Registry;
  readonly lastWriteAt?: () => number | undefined;
  readonly log: EtcdStatusLog;
  /** What this service does while etcd refuses writes, logged when an alarm is raised. */
  readonly whileFull: string;
}

/**
 * One service's watch over etcd's health, as every service runs it: the
 * status monitor, its metrics, and a log line when alarms are raised or
 * cleared. Returned unstarted, so the caller decides when polling begins.
 */
export function createEtcdStatusWatch(options: EtcdStatusWatchOptions): EtcdStatusMonitor {
  const { log } = options;
  const monitor = new EtcdStatusMonitor({
    client: options.client,
    intervalMs: options.config.statusIntervalMs,
    quotaBytes: options.config.quotaBackendBytes,
    onAlarmsChanged: (alarms, status) =>
      alarms.length > 0
        ? log.error(`etcd refuses writes: ${options.whileFull}`, { alarms, dbSizeBytes: status.dbSizeBytes })
        : log.info('etcd alarms cleared', { dbSizeBytes: status.dbSizeBytes }),
    onError: (error) => log.debug('cannot read the etcd status', { error: error.message }),
  });
  registerEtcdStatusMetrics(options.registry, monitor, options.lastWriteAt === undefined ? {} : { lastWriteAt: options.lastWriteAt });
  return monitor;
}
