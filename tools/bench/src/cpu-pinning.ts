import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Binds every thread of `pid` to the CPUs in `cpus` (taskset syntax, e.g. "0" or "0,1"); children started later inherit it. */
export function pinProcess(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** The process whose command line contains `marker` (e.g. a server's temporary data directory). */
export function pidWithArgument(marker: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) return Number(entry);
    } catch {
      // The process ended while the list was read.
    }
  }
  throw new Error(`no process has the argument ${marker}`);
}
