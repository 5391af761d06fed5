import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { NpmHostConfig } from './npm-host-config';

/** Paths inside the build containers. */
const NPMRC_IN_BUILD = '/usr/local/etc/npmrc';
const CA_IN_BUILD = '/run/build-npm/ca.pem';

export interface BuildNpmAccess {
  /** `podman build` options that mount the files into every RUN step. */
  buildOptions: string[];
  remove(): void;
}

/**
 * Gives the `npm ci` steps of a build the host's way to the registry (registry, proxy,
 * the CAs it trusts) as bind mounts: `/usr/local/etc/npmrc` is npm's global config in the
 * node images. Bind mounts exist only while a RUN step runs, so none of it, proxy
 * credentials included, is written to a layer or to the image's history, and the images
 * build from the Dockerfiles unchanged.
 */
export function buildNpmAccess(config: NpmHostConfig): BuildNpmAccess {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-state-build-npm-'));
  const lines = [`registry=${config.registry}`];
  const options: string[] = [];
  if (config.caFiles.length > 0) {
    // npm's cafile replaces Node's roots: keep them, and add what the host trusts.
    const bundle = [...rootCertificates, ...config.caFiles.map((file) => readFileSync(file, 'utf8'))].join('\n');
    writeFileSync(join(dir, 'ca.pem'), `${bundle}\n`);
    lines.push(`cafile=${CA_IN_BUILD}`);
    options.push('--volume', `${join(dir, 'ca.pem')}:${CA_IN_BUILD}:ro`);
  }
  if (config.proxy) lines.push(`proxy=${config.proxy}`);
  if (config.httpsProxy) lines.push(`https-proxy=${config.httpsProxy}`);
  if (config.noProxy) lines.push(`noproxy=${config.noProxy}`);
  writeFileSync(join(dir, 'npmrc'), `${lines.join('\n')}\n`, { mode: 0o600 });
  options.push('--volume', `${join(dir, 'npmrc')}:${NPMRC_IN_BUILD}:ro`);
  return { buildOptions: options, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
