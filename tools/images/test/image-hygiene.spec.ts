import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPORT_FILE, type BuildReport } from '../src/build-all';
import { withImageMounted } from '../src/image-report';
import { dockerfilesNodeImage } from '../src/node-image-name';
import { Podman } from '../src/podman';
import { SERVICE_IMAGES } from '../src/service-images';
import { WORKSPACE_ROOT } from '../src/workspace';
import { hostOnlyCertificateMarkers } from './support/host-certificates';
import { filesContaining, walk } from './support/image-files';

// The images must have been built (`npx nx run images:build-images`, which `test` depends on).
jest.setTimeout(120_000);

const MB = 1_000_000;
// What the Dockerfiles add to the base: production node_modules and the bundle. A budget,
// so that a heavy new dependency is a decision and not an accident.
const ADDED_BYTES_BUDGET = 90 * MB;

const podman = new Podman();
const base = dockerfilesNodeImage(SERVICE_IMAGES.map((image) => image.dockerfile));
const lock = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
const devPackagePaths = Object.entries(lock.packages)
  .filter(([path, entry]) => path.startsWith('node_modules/') && entry.dev === true)
  .map(([path]) => path);
const packageJson = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string };

// Layers are shared between images (the base by all): each is scanned once.
const scannedLayers = new Map<string, { npmrcs: string[]; certificates: string[] }>();
function scanLayer(layer: string, markers: readonly string[]): { npmrcs: string[]; certificates: string[] } {
  const known = scannedLayers.get(layer);
  if (known) return known;
  const found = {
    npmrcs: [...walk(layer)].filter((entry) => /^\.?npmrc$/.test(basename(entry.path))).map((entry) => entry.path),
    certificates: filesContaining(layer, markers),
  };
  scannedLayers.set(layer, found);
  return found;
}

function field(reference: string, format: string): string {
  return podman.imageField(reference, format);
}

/** The directories of the image's layers, base first. */
function layerDirectories(tag: string): string[] {
  const lower = field(tag, '{{.GraphDriver.Data.LowerDir}}');
  const upper = field(tag, '{{.GraphDriver.Data.UpperDir}}');
  return [...lower.split(':').filter(Boolean).reverse(), upper];
}

describe('the build report', () => {
  it('records every image, its size and where the bytes are, in dist/images/report.json', () => {
    expect(existsSync(REPORT_FILE)).toBe(true);
    const report = JSON.parse(readFileSync(REPORT_FILE, 'utf8')) as BuildReport;
    expect(report.images.map((image) => image.service)).toEqual(SERVICE_IMAGES.map((image) => image.service));
    for (const image of report.images) {
      expect(image.bytes).toBe(Number(field(image.tag, '{{.Size}}')));
      expect(image.baseBytes + image.layers.reduce((sum, layer) => sum + layer.bytes, 0)).toBeGreaterThan(image.bytes * 0.99);
      expect(image.nodeModulesBytes).toBeGreaterThan(0);
      expect(image.bundleBytes).toBeGreaterThan(0);
    }
  });
});

describe.each(SERVICE_IMAGES)('the $service image', (image) => {
  const tag = image.tag;

  it('is built on the base pinned by digest, recorded in its OCI labels', () => {
    const labels = JSON.parse(field(tag, '{{json .Labels}}')) as Record<string, string>;
    const digest = field(base.qualified, '{{.Digest}}');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(labels).toEqual(
      expect.objectContaining({
        'org.opencontainers.image.title': `ecs-state-${image.service}`,
        'org.opencontainers.image.licenses': 'Apache-2.0',
        'org.opencontainers.image.version': packageJson.version,
        'org.opencontainers.image.base.name': `${base.reference}@${digest}`,
      }),
    );
    expect(labels['org.opencontainers.image.description']).toMatch(/^ECS cluster state service/);
    expect(labels['org.opencontainers.image.revision']).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
    // The image's lowest layers are exactly the base's.
    const baseLayers = JSON.parse(field(base.qualified, '{{json .RootFS.Layers}}')) as string[];
    const layers = JSON.parse(field(tag, '{{json .RootFS.Layers}}')) as string[];
    expect(layers.slice(0, baseLayers.length)).toEqual(baseLayers);
  });

  it(`adds at most ${ADDED_BYTES_BUDGET / MB} MB to the base: production node_modules, the bundle, the health probe`, () => {
    const history = JSON.parse(podman.run(['history', '--format', 'json', tag]).stdout) as { created_by?: string; CreatedBy?: string; size?: number; Size?: number }[];
    const baseLayers = (JSON.parse(field(base.qualified, '{{json .RootFS.Layers}}')) as string[]).length;
    const withBytes = history.filter((entry) => (entry.size ?? entry.Size ?? 0) > 0);
    const added = withBytes.slice(0, withBytes.length - baseLayers).map((entry) => (entry.created_by ?? entry.CreatedBy ?? '').replace(/^.*\bin\s+/, '').trim());
    expect(added.reverse()).toEqual(['./node_modules', `./dist/${image.service === 'ecs-sim' ? 'tools' : 'apps'}/${image.service}`, './healthcheck.cjs']);
    const bytes = Number(field(tag, '{{.Size}}'));
    const baseBytes = Number(field(base.qualified, '{{.Size}}'));
    expect(bytes - baseBytes).toBeLessThan(ADDED_BYTES_BUDGET);
  });

  it('holds no dev dependency, no workspace source and no build tool', () => {
    withImageMounted(podman, tag, (root) => {
      const app = join(root, 'app');
      // Every package the lockfile installs for development only (some dev dependencies, such as
      // semver, are also dependencies of production packages: the lockfile knows which).
      expect(devPackagePaths.length).toBeGreaterThan(100);
      expect(devPackagePaths.filter((path) => existsSync(join(app, path)))).toEqual([]);
      for (const name of ['typescript', 'jest', 'esbuild', 'nx', 'tsx', 'eslint', '@swc/core']) expect(existsSync(join(app, 'node_modules', name))).toBe(false);
      // Outside node_modules: the build output of the service's project and the health probe,
      // and no TypeScript or project file among them.
      const bundle = `/dist/${image.service === 'ecs-sim' ? 'tools' : 'apps'}/${image.service}/`;
      const own = [...walk(app)].filter((entry) => entry.isFile && !entry.path.startsWith('/node_modules/')).map((entry) => entry.path);
      expect(own).toEqual(expect.arrayContaining(['/healthcheck.cjs', `${bundle}main.js`]));
      expect(own.filter((path) => path !== '/healthcheck.cjs' && !path.startsWith(bundle))).toEqual([]);
      expect(own.filter((path) => /\.[cm]?tsx?$|(^|\/)(tsconfig[\w.-]*|project|package)\.json$/.test(path))).toEqual([]);
    });
  });

  it('carries no npm credentials, registry or proxy settings and none of the CAs the build trusted', () => {
    const config = JSON.parse(field(tag, '{{json .Config}}')) as { Env: string[]; Labels: Record<string, string> };
    expect(config.Env.filter((entry) => /proxy|npm_config|NODE_EXTRA_CA_CERTS|NODE_TLS|token|secret/i.test(entry))).toEqual([]);
    const history = podman.run(['history', '--no-trunc', '--format', '{{.CreatedBy}}', tag]).stdout;
    expect(history).not.toMatch(/npmrc|cafile|proxy|build-npm|_auth/i);
    const markers = hostOnlyCertificateMarkers();
    for (const layer of layerDirectories(tag)) expect(scanLayer(layer, markers)).toEqual({ npmrcs: [], certificates: [] });
  });
});
