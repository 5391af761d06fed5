import { ensureBinaries, type ServerBinary } from '@ecs-state/local-services';

// Rootful podman with runc; debootstrap makes the local base image's Debian root filesystem.
const HOST_TOOLS: ServerBinary[] = [
  { command: 'podman', debianPackage: 'podman' },
  { command: 'runc', debianPackage: 'runc' },
  { command: 'debootstrap', debianPackage: 'debootstrap' },
];

/**
 * Installs podman, runc and debootstrap with apt-get when they are missing (as root), as
 * tools/local-services does for etcd and Redis; otherwise says what to install.
 */
export function ensureHostTools(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error('Building and running the images needs root (rootful podman, debootstrap): run as root, or build with Docker (deploy/README.md).');
  }
  ensureBinaries(HOST_TOOLS);
}
