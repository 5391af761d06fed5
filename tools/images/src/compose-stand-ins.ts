import { join } from 'node:path';
import type { BuildTarget } from './image-build';

/**
 * Images docker-compose.yml takes from registries unreachable here (etcd, Redis), made from
 * Debian's packages on the local base; tools/images/compose/podman.override.yml names them.
 */
export interface StandInImage {
  name: 'etcd' | 'redis';
  containerfile: string;
  tag: string;
}

export const COMPOSE_DIR = 'tools/images/compose';
export const COMPOSE_OVERRIDE = join(COMPOSE_DIR, 'podman.override.yml');

function standIn(name: StandInImage['name']): StandInImage {
  return { name, containerfile: join(COMPOSE_DIR, `${name}.Containerfile`), tag: `localhost/ecs-state-standin/${name}:bookworm` };
}

export const COMPOSE_STAND_INS: readonly StandInImage[] = [standIn('etcd'), standIn('redis')];

/** A stand-in as a build target: the compose directory is its context. */
export function standInBuild(image: StandInImage): BuildTarget {
  return { name: image.name, dockerfile: image.containerfile, tag: image.tag, context: COMPOSE_DIR };
}
