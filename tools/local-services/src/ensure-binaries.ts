import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A server program and the Debian package that ships it. */
export interface ServerBinary {
  command: string;
  debianPackage: string;
}

export const ETCD: ServerBinary = { command: 'etcd', debianPackage: 'etcd-server' };
export const REDIS: ServerBinary = { command: 'redis-server', debianPackage: 'redis-server' };
/** Not a server: the headless browser the dashboard's tests drive. */
export const CHROMIUM: ServerBinary = { command: 'chromium', debianPackage: 'chromium' };

function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

function canInstallWithApt(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && findOnPath('apt-get') !== undefined;
}

let aptIndexRefreshed = false;

/**
 * Returns the absolute path of each binary, installing the missing ones with
 * apt-get when this process may (root with apt available). A fresh machine has
 * neither etcd nor Redis, and tests must still run there unattended.
 */
export function ensureBinaries(binaries: ServerBinary[]): Record<string, string> {
  const missing = binaries.filter((b) => !findOnPath(b.command));
  if (missing.length > 0) {
    const packages = missing.map((b) => b.debianPackage);
    if (!canInstallWithApt()) {
      throw new Error(
        `Missing ${missing.map((b) => b.command).join(', ')}. Install them with: sudo apt-get install -y ${packages.join(' ')}`,
      );
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    process.stderr.write(`Installing ${packages.join(', ')} with apt-get...\n`);
    if (!aptIndexRefreshed) {
      execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      aptIndexRefreshed = true;
    }
    const result = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    if (result.status !== 0) {
      throw new Error(`apt-get install ${packages.join(' ')} failed (exit ${result.status}). Install them by hand.`);
    }
  }
  const paths: Record<string, string> = {};
  for (const b of binaries) {
    const found = findOnPath(b.command);
    if (!found) throw new Error(`${b.command} is still not on PATH after installing ${b.debianPackage}`);
    paths[b.command] = found;
  }
  return paths;
}
