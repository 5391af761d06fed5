import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly etcd: string;
  readonly openFilesLimit: string;
}

export function machineInfo(etcdBinary: string): MachineInfo {
  const etcd = /etcd Version: (\S+)/.exec(execFileSync(etcdBinary, ['--version'], { encoding: 'utf8' }))?.[1] ?? 'unknown';
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    etcd,
    openFilesLimit: openFilesLimit(),
  };
}

/** The soft limit of open files of this process (Node cannot raise it itself). */
export function openFilesLimit(): string {
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return line?.split(/\s{2,}/)[1] ?? 'unknown';
}

/** etcd's count of watchers (every watch of every client), from its Prometheus endpoint. */
export async function etcdWatchers(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('etcd_debugging_mvcc_watcher_total '));
  if (line === undefined) throw new Error('etcd does not report etcd_debugging_mvcc_watcher_total');
  return Number(line.slice(line.lastIndexOf(' ') + 1));
}
