import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openFilesHardLimit } from './open-files-limit';
import type { Podman } from './podman';
import { IMAGES_DIST, WORKSPACE_ROOT } from './workspace';

/** A Dockerfile to build, and where. */
export interface BuildTarget {
  /** Names the log file and the progress lines. */
  name: string;
  dockerfile: string;
  tag: string;
  /** Relative to the repository root; the root itself by default (the services' images). */
  context?: string;
}

export interface BuildSettings {
  /** `--build-arg` values. */
  buildArgs: Record<string, string>;
  /** Extra `podman build` options (the npm access mounts). */
  options: string[];
}

/**
 * Builds one Dockerfile as it is, as `docker build` would: from the repository root, with
 * the local base only (`--pull=never`) and in Docker's image format, which keeps
 * HEALTHCHECK (OCI images have no such field, and podman drops it). Layers are cached in
 * podman's storage between runs. Returns the seconds it took.
 */
export async function buildImage(podman: Podman, image: BuildTarget, settings: BuildSettings, log: (line: string) => void): Promise<number> {
  mkdirSync(join(IMAGES_DIST, 'logs'), { recursive: true });
  const args = [
    'build',
    '--pull=never',
    '--format',
    'docker',
    '--layers',
    '--network=host',
    '--ulimit',
    `nofile=${openFilesHardLimit()}:${openFilesHardLimit()}`,
    ...Object.entries(settings.buildArgs).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
    ...settings.options,
    '--file',
    join(WORKSPACE_ROOT, image.dockerfile),
    '--tag',
    image.tag,
    join(WORKSPACE_ROOT, image.context ?? '.'),
  ];
  const started = Date.now();
  await podman.stream(args, join(IMAGES_DIST, 'logs', `${image.name}.log`), (line) => {
    if (/^\[\d\/\d\] STEP|^--> Using cache|^Successfully tagged|error/i.test(line)) log(`${image.name}: ${line}`);
  });
  return (Date.now() - started) / 1000;
}
