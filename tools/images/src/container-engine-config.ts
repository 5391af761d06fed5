import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGES_DIST } from './workspace';

// runc: the runtime that runs rootful containers in this kind of sandbox. No default
// ulimits: podman would otherwise raise the open-files limit, which the sandbox may refuse.
const CONTAINERS_CONF = `[containers]
default_ulimits = []

[engine]
runtime = "runc"
`;

/** Writes the containers.conf every podman call of the tool uses; returns its path (for CONTAINERS_CONF). */
export function writeContainersConf(): string {
  mkdirSync(IMAGES_DIST, { recursive: true });
  const path = join(IMAGES_DIST, 'containers.conf');
  writeFileSync(path, CONTAINERS_CONF);
  return path;
}
