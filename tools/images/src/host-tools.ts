import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBinaries, type ServerBinary } from '@ecs-state/local-services';

// Rootful podman with runc; debootstrap makes the local base image's Debian root filesystem;
// podman-compose runs docker-compose.yml.
const HOST_TOOLS: ServerBinary[] = [
  { command: 'podman', debianPackage: 'podman' },
  { command: 'runc', debianPackage: 'runc' },
  { command: 'debootstrap', debianPackage: 'debootstrap' },
  { command: 'podman-compose', debianPackage: 'podman-compose' },
];

// The CNI plugin that lets the containers of a compose project find each other by service name.
const DNSNAME_PLUGIN = { path: '/usr/lib/cni/dnsname', debianPackage: 'golang-github-containernetworking-plugin-dnsname' };

/**
 * Installs podman, runc, debootstrap and podman-compose with apt-get when they are missing
 * (as root), as tools/local-services does for etcd and Redis; otherwise says what to install.
 */
export function ensureHostTools(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('Building and running the images needs root (rootful podman, debootstrap): run as root, or build with Docker (deploy/README.md).');
  }
  ensureBinaries(HOST_TOOLS);
  if (!existsSync(DNSNAME_PLUGIN.path)) {
    process.stderr.write(`Installing ${DNSNAME_PLUGIN.debianPackage} with apt-get...\n`);
    // ensureBinaries refreshed the package index if it installed anything; an install may still need it.
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', DNSNAME_PLUGIN.debianPackage], { stdio: ['ignore', 'ignore', 'inherit'], env });
  }
}
