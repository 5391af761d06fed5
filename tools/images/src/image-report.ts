import { join } from 'node:path';
import { directoryBytes, packageSizes } from './directory-sizes';
import type { Podman } from './podman';
import type { ServiceImage } from './service-images';

export interface LayerReport {
  createdBy: string;
  bytes: number;
}

export interface ImageReport {
  service: string;
  tag: string;
  id: string;
  bytes: number;
  baseBytes: number;
  /** The layers the Dockerfile adds on top of the base, with their bytes. */
  layers: LayerReport[];
  /** Where the added bytes are: the production node_modules by package, and the bundle. */
  nodeModulesBytes: number;
  largestPackages: { name: string; bytes: number }[];
  bundleBytes: number;
  buildSeconds: number;
}

interface HistoryEntry {
  id: string;
  created_by?: string;
  CreatedBy?: string;
  size?: number;
  Size?: number;
}

/** Runs `inspect` on the image's merged root filesystem, mounted read-only on the host. */
export function withImageMounted<T>(podman: Podman, tag: string, inspect: (root: string) => T): T {
  const root = podman.run(['image', 'mount', tag]).stdout.trim();
  try {
    return inspect(root);
  } finally {
    podman.run(['image', 'unmount', tag], { check: false });
  }
}

export function reportImage(podman: Podman, image: ServiceImage, baseId: string, buildSeconds: number): ImageReport {
  const bytes = Number(podman.imageField(image.tag, '{{.Size}}'));
  const baseBytes = Number(podman.imageField(baseId, '{{.Size}}'));
  const history = JSON.parse(podman.run(['history', '--format', 'json', image.tag]).stdout) as HistoryEntry[];
  // Newest first; the base's own entries come last, from the entry of the base's id on.
  const baseIndex = history.findIndex((entry) => baseId.startsWith(entry.id) || entry.id.startsWith(baseId));
  const added = (baseIndex >= 0 ? history.slice(0, baseIndex) : history).reverse();
  const layers = added
    .map((entry) => ({ createdBy: (entry.created_by ?? entry.CreatedBy ?? '').replace(/^\/bin\/sh -c #\(nop\) /, ''), bytes: entry.size ?? entry.Size ?? 0 }))
    .filter((layer) => layer.bytes > 0);
  return withImageMounted(podman, image.tag, (root) => {
    const nodeModules = join(root, 'app/node_modules');
    const packages = packageSizes(nodeModules);
    return {
      service: image.service,
      tag: image.tag,
      id: podman.imageField(image.tag, '{{.ID}}'),
      bytes,
      baseBytes,
      layers,
      nodeModulesBytes: packages.reduce((sum, item) => sum + item.bytes, 0),
      largestPackages: packages.slice(0, 8),
      bundleBytes: directoryBytes(join(root, 'app/dist')),
      buildSeconds,
    };
  });
}

const MB = 1_000_000;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The summary printed after a build and kept beside the JSON report. */
export function formatReport(images: readonly ImageReport[], base: { pinned: string; standIn: boolean; buildSeconds: number }): string {
  const lines = [
    `base ${base.pinned}${base.standIn ? ' (local stand-in)' : ''}${base.buildSeconds > 0 ? `, made in ${base.buildSeconds.toFixed(0)} s` : ', cached'}`,
    '',
    'image        size      base      added     node_modules  bundle    build',
  ];
  for (const image of images) {
    lines.push(
      [
        image.service.padEnd(12),
        mb(image.bytes).padEnd(9),
        mb(image.baseBytes).padEnd(9),
        mb(image.bytes - image.baseBytes).padEnd(9),
        mb(image.nodeModulesBytes).padEnd(13),
        mb(image.bundleBytes).padEnd(9),
        `${image.buildSeconds.toFixed(0)} s`,
      ].join(' '),
    );
  }
  const first = images[0];
  if (first) {
    lines.push('', `largest production packages (${first.service}): ${first.largestPackages.map((item) => `${item.name} ${mb(item.bytes)}`).join(', ')}`);
  }
  return lines.join('\n');
}
