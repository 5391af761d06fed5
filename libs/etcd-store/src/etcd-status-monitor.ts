import type { Etcd3 } from 'etcd3';
import { EtcdNoSpaceError } from './errors';

/** etcd's maintenance status as the services watch it. */
export interface EtcdStatus {
  /** When it was read (ms since the epoch). */
  readonly at: number;
  /** Size of the database file of the member that answered: what `--quota-backend-bytes` limits. */
  readonly dbSizeBytes: number;
  /** The part of it in use; the rest is free pages that a defragmentation returns. */
  readonly dbSizeInUseBytes: number;
  /** Alarms raised on any member, by etcd's names (`NOSPACE`, `CORRUPT`), sorted, each once. */
  readonly alarms: readonly string[];
}

/** The alarms etcd can raise; the metrics export each, 0 or 1. */
export const ETCD_ALARMS = ['NOSPACE', 'CORRUPT'] as const;

export interface EtcdStatusMonitorOptions {
  readonly client: Etcd3;
  /** Time between two reads of the status. */
  readonly intervalMs: number;
  /** etcd's `--quota-backend-bytes` as configured (etcd does not report it). */
  readonly quotaBytes: number;
  /** The set of raised alarms changed (first read included when one is raised). */
  readonly onAlarmsChanged?: (alarms: readonly string[], status: EtcdStatus) => void;
  /** A read failed; the previous status is kept. */
  readonly onError?: (error: Error) => void;
  readonly now?: () => number;
}

/**
 * Reads etcd's maintenance status (database size, raised alarms) every
 * `intervalMs`, the one place each service does so: readiness and metrics read
 * the last result rather than asking etcd at every probe or scrape.
 */
export class EtcdStatusMonitor {
  private last: EtcdStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<EtcdStatus> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: EtcdStatusMonitorOptions) {
    if (!Number.isInteger(options.intervalMs) || options.intervalMs < 1) throw new RangeError(`interval ${options.intervalMs} must be a positive integer`);
    this.now = options.now ?? Date.now;
  }

  get quotaBytes(): number {
    return this.options.quotaBytes;
  }

  /** Reads now, then every interval, until stop(). */
  start(): void {
    if (this.timer !== undefined) return;
    const tick = () => {
      void this.refresh().catch(() => undefined);
    };
    this.timer = setInterval(tick, this.options.intervalMs);
    // Polling alone never keeps a process alive.
    this.timer.unref();
    tick();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The last status read, if any. */
  current(): EtcdStatus | undefined {
    return this.last;
  }

  /** Reads the status now; callers at the same moment share one read. */
  refresh(): Promise<EtcdStatus> {
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  /**
   * Tells the monitor about a failed write: a write refused for a full database
   * means the alarm is raised now, so the status is read at once rather than at
   * the next interval (the ingestor stops receiving on it).
   */
  noteWriteError(error: unknown): void {
    if (error instanceof EtcdNoSpaceError) void this.refresh().catch(() => undefined);
  }

  /** True while an alarm makes etcd refuse writes (NOSPACE, CORRUPT). */
  writesRefused(): boolean {
    return (this.last?.alarms.length ?? 0) > 0;
  }

  /** Why etcd cannot take writes, for readiness checks; null when no alarm is raised. */
  problem(): string | null {
    const status = this.last;
    if (status === undefined || status.alarms.length === 0) return null;
    const parts = status.alarms.map((alarm) =>
      alarm === 'NOSPACE'
        ? `etcd alarm NOSPACE: the database (${mib(status.dbSizeBytes)} MiB, quota ${mib(this.options.quotaBytes)} MiB) is full and etcd refuses writes until an operator compacts, defragments and disarms the alarm`
        : `etcd alarm ${alarm}: etcd refuses requests until an operator repairs the member and disarms the alarm`,
    );
    return parts.join('; ');
  }

  /** For readiness checks: throws an Error whose message is problem() while an alarm is raised. */
  assertWritable(): true {
    const problem = this.problem();
    if (problem !== null) throw new Error(problem);
    return true;
  }

  private async read(): Promise<EtcdStatus> {
    const { client } = this.options;
    try {
      const [status, alarms] = await Promise.all([client.maintenance.status(), client.maintenance.alarm({ action: 'Get', alarm: 'None', memberID: 0 })]);
      const names = [...new Set(alarms.alarms.map((a) => String(a.alarm).toUpperCase()))].filter((a) => a !== 'NONE').sort();
      const next: EtcdStatus = { at: this.now(), dbSizeBytes: Number(status.dbSize), dbSizeInUseBytes: Number(status.dbSizeInUse), alarms: names };
      const before = this.last?.alarms ?? [];
      this.last = next;
      if (before.join() !== names.join()) this.options.onAlarmsChanged?.(names, next);
      return next;
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.options.onError?.(failure);
      throw failure;
    }
  }
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}
