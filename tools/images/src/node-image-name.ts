import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

/** The base the Dockerfiles name in `ARG NODE_IMAGE=…`, e.g. node:24-bookworm-slim. */
export interface NodeImageName {
  /** As written: `node:24-bookworm-slim`. */
  reference: string;
  /** As podman stores it: `docker.io/library/node:24-bookworm-slim`. */
  qualified: string;
  nodeMajor: number;
  debianSuite: string;
}

export function parseNodeImage(reference: string): NodeImageName {
  const match = /^node:(\d+)(?:\.[\d.]+)?-([a-z]+)-slim$/.exec(reference);
  if (!match?.[1] || !match[2]) throw new Error(`NODE_IMAGE ${reference}: expected node:<major>-<debian suite>-slim`);
  return { reference, qualified: `docker.io/library/${reference}`, nodeMajor: Number(match[1]), debianSuite: match[2] };
}

/** The default NODE_IMAGE of the Dockerfiles, which must all agree. */
export function dockerfilesNodeImage(dockerfiles: readonly string[]): NodeImageName {
  const defaults = new Set(
    dockerfiles.map((file) => {
      const found = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(join(WORKSPACE_ROOT, file), 'utf8'))?.[1];
      if (!found) throw new Error(`${file} has no ARG NODE_IMAGE=<default>`);
      return found;
    }),
  );
  if (defaults.size !== 1) throw new Error(`the Dockerfiles name different bases: ${[...defaults].join(', ')}`);
  return parseNodeImage([...defaults][0] ?? '');
}
