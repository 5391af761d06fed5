import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ensureBaseImage, type BaseImage } from './base-image';
import { buildMetadata } from './build-metadata';
import { COMPOSE_STAND_INS, standInBuild } from './compose-stand-ins';
import { buildNpmAccess } from './build-npm-access';
import { ensureHostTools } from './host-tools';
import { buildImage } from './image-build';
import { formatReport, reportImage, type ImageReport } from './image-report';
import { dockerfilesNodeImage } from './node-image-name';
import { readNpmHostConfig } from './npm-host-config';
import { Podman } from './podman';
import { SERVICE_IMAGES } from './service-images';
import { IMAGES_DIST } from './workspace';

export interface BuildReport {
  date: string;
  machine: string;
  base: BaseImage;
  images: ImageReport[];
  totalSeconds: number;
}

export const REPORT_FILE = join(IMAGES_DIST, 'report.json');

/** The base (cached), then every image and the compose stand-ins, then the report in dist/images/. */
export async function buildAll(log: (line: string) => void): Promise<BuildReport> {
  const started = Date.now();
  ensureHostTools();
  const podman = new Podman();
  const base = ensureBaseImage(podman, dockerfilesNodeImage(SERVICE_IMAGES.map((image) => image.dockerfile)), log);
  const { version, revision } = buildMetadata();
  const access = buildNpmAccess(readNpmHostConfig());
  const seconds = new Map<string, number>();
  try {
    for (const image of SERVICE_IMAGES) {
      const settings = { buildArgs: { NODE_IMAGE: base.pinned, VERSION: version, REVISION: revision }, options: access.buildOptions };
      seconds.set(image.service, await buildImage(podman, { name: image.service, ...image }, settings, log));
    }
    for (const standIn of COMPOSE_STAND_INS) {
      await buildImage(podman, standInBuild(standIn), { buildArgs: { DEBIAN_IMAGE: base.pinned }, options: [] }, log);
    }
  } finally {
    access.remove();
  }
  const images = SERVICE_IMAGES.map((image) => reportImage(podman, image, base.id, seconds.get(image.service) ?? 0));
  const report: BuildReport = {
    date: new Date().toISOString(),
    machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores`,
    base,
    images,
    totalSeconds: (Date.now() - started) / 1000,
  };
  mkdirSync(IMAGES_DIST, { recursive: true });
  writeFileSync(REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  const summary = `${formatReport(images, base)}\ntotal ${report.totalSeconds.toFixed(0)} s; report in ${REPORT_FILE}`;
  writeFileSync(join(IMAGES_DIST, 'report.txt'), `${summary}\n`);
  log(summary);
  return report;
}
