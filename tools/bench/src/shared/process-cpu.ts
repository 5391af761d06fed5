import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports utime and stime in clock ticks; USER_HZ is 100 on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
 * The command name in parentheses may itself contain spaces or parentheses,
 * so fields are counted from the last ')'.
 */
export function parseProcStatCpuSeconds(stat: string): number {
  const end = stat.lastIndexOf(')');
  if (end < 0) throw new Error('unexpected /proc/<pid>/stat format');
  // After ')': state(3) ppid(4) ... utime(14) stime(15), i.e. indexes 11 and 12 here.
  const fields = stat.slice(end + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc/<pid>/stat format');
  return (utime + stime) / TICKS_PER_SECOND;
}

export function processCpuSeconds(pid: number): number {
  return parseProcStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** The first process whose command line contains `fragment` (e.g. a data directory), or undefined. */
export function findPidByCommandLine(fragment: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(fragment)) return Number(entry);
    } catch {
      // The process ended while the list was read.
    }
  }
  return undefined;
}

export interface CpuUse {
  readonly name: string;
  readonly cpuSeconds: number;
  /** CPU seconds per wall-clock second: 1.0 is one core fully busy. */
  readonly cores: number;
}

/** Measures the CPU several named processes use over one interval. */
export class CpuSampler {
  private readonly start = new Map<string, number>();
  private startedAt = 0;

  constructor(private readonly processes: ReadonlyMap<string, number>) {}

  begin(): void {
    this.startedAt = performance.now();
    for (const [name, pid] of this.processes) this.start.set(name, processCpuSeconds(pid));
  }

  end(): CpuUse[] {
    const wallSeconds = (performance.now() - this.startedAt) / 1000;
    return [...this.processes].map(([name, pid]) => {
      const cpuSeconds = processCpuSeconds(pid) - (this.start.get(name) ?? 0);
      return { name, cpuSeconds, cores: wallSeconds > 0 ? cpuSeconds / wallSeconds : 0 };
    });
  }
}
