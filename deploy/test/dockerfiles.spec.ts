import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { execForm, finalStage, only, readDockerfile, stageEnv, type Dockerfile, type Stage } from './support/dockerfile';
import { readRepoFile, repoPath } from './support/repo';
import { CONTRACTS, loadRecorded, type ServiceName } from './support/service-contracts';

interface ImageSpec {
  service: ServiceName;
  nxProjects: string[];
  healthPath: string;
  /** Bundles the image carries besides the service's own. */
  extraBundles: string[];
}

const IMAGES: ImageSpec[] = [
  { service: 'ingestor', nxProjects: ['ingestor'], healthPath: '/healthz', extraBundles: [] },
  { service: 'api', nxProjects: ['api'], healthPath: '/healthz', extraBundles: [] },
  { service: 'reconciler', nxProjects: ['reconciler'], healthPath: '/healthz', extraBundles: [] },
  { service: 'ecs-sim', nxProjects: ['ecs-sim'], healthPath: '/_sim/health', extraBundles: [] },
];

const projectJson = z.object({
  name: z.string(),
  targets: z.object({ build: z.object({ outputs: z.array(z.string()), options: z.object({ command: z.string() }) }) }),
});

function stageNamed(dockerfile: Dockerfile, name: string): Stage {
  const stage = dockerfile.stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage ${name}`);
  return stage;
}

function runs(stage: Stage): string {
  return only(stage, 'RUN').map((instruction) => instruction.args).join('\n');
}

describe('.dockerignore', () => {
  const ignored = readRepoFile('.dockerignore').split('\n').map((line) => line.trim());

  it('keeps the host installation and build output out of the build context', () => {
    // The build stage installs its own node_modules for Linux; `COPY . .` must not replace them.
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '**/node_modules', 'dist', '.git', '.nx']));
  });
});

describe.each(IMAGES)('the $service Dockerfile', (image) => {
  const path = `deploy/docker/${image.service}.Dockerfile`;
  const dockerfile = readDockerfile(path);
  const runtime = finalStage(dockerfile);
  const contract = CONTRACTS[image.service];
  const bundlePath = `dist/${contract.projectRoot}/main.js`;

  it('is multi-stage: build, production dependencies, runtime', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['build', 'deps', 'runtime']);
  });

  // Node 24 is the active LTS line; 20 reached its end of life on 2026-04-30.
  it('runs on a slim Node 24 image', () => {
    const nodeImage = dockerfile.globalArgs.get('NODE_IMAGE');
    expect(nodeImage).toMatch(/^node:24[\w.-]*-slim$/);
    for (const stage of dockerfile.stages) expect(stage.base).toBe('${NODE_IMAGE}');
  });

  it('builds the project with Nx, from an exact install of the lockfile', () => {
    const build = stageNamed(dockerfile, 'build');
    expect(runs(build)).toMatch(/npm ci\b/);
    const nx = runs(build).split('\n').find((line) => line.includes('nx run'));
    expect(nx).toBeDefined();
    const projects = nx?.includes('run-many') ? (/-p ([\w\s-]+?)(?: --|$)/.exec(nx)?.[1]?.split(/\s+/) ?? []) : [/nx run ([\w-]+):build/.exec(nx ?? '')?.[1]];
    expect(projects).toEqual(image.nxProjects);
  });

  it('ships production dependencies only', () => {
    expect(runs(stageNamed(dockerfile, 'deps'))).toMatch(/npm ci --omit=dev/);
    const copies = only(runtime, 'COPY').map((instruction) => instruction.args);
    expect(copies).toContain('--from=deps /app/node_modules ./node_modules');
    expect(copies.some((args) => args.startsWith('--from=build') && args.includes('node_modules'))).toBe(false);
  });

  it('copies into the runtime exactly what the Nx build target produces', () => {
    const copies = only(runtime, 'COPY').map((instruction) => instruction.args);
    for (const root of [contract.projectRoot, ...image.extraBundles]) {
      const project = projectJson.parse(JSON.parse(readRepoFile(join(root, 'project.json'))));
      expect(project.targets.build.outputs).toContain(`{workspaceRoot}/dist/${root}`);
      expect(project.targets.build.options.command).toBe(`node tools/workspace/build.mjs ${root}`);
      expect(copies).toContain(`--from=build /workspace/dist/${root} ./dist/${root}`);
    }
    expect(only(runtime, 'WORKDIR').map((instruction) => instruction.args)).toEqual(['/app']);
  });

  it('runs as a non-root user', () => {
    const users = only(runtime, 'USER').map((instruction) => instruction.args);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    // Nothing after USER may switch back.
    const last = runtime.instructions.map((instruction) => instruction.keyword).lastIndexOf('USER');
    expect(runtime.instructions.slice(last + 1).some((instruction) => instruction.keyword === 'RUN')).toBe(false);
  });

  it('starts node itself in exec form, so SIGTERM reaches it', () => {
    expect(only(runtime, 'STOPSIGNAL').map((instruction) => instruction.args)).toEqual(['SIGTERM']);
    const entrypoints = only(runtime, 'ENTRYPOINT');
    expect(entrypoints).toHaveLength(1);
    const entrypoint = execForm(entrypoints[0]?.args ?? '');
    expect(entrypoint?.[0]).toBe('node');
    expect(entrypoint?.at(-1)).toBe(bundlePath);
    expect(only(runtime, 'CMD')).toEqual([]);
  });

  it('checks health with node against the port variable the service reads', async () => {
    const healthchecks = only(runtime, 'HEALTHCHECK');
    expect(healthchecks).toHaveLength(1);
    const command = execForm((healthchecks[0]?.args ?? '').replace(/^.*?\bCMD\s+/, ''));
    expect(command).toBeDefined();
    const [node, script, portVariable, defaultPort, healthPath] = command ?? [];
    expect([node, script, healthPath]).toEqual(['node', '/app/healthcheck.cjs', image.healthPath]);
    expect(only(runtime, 'COPY').map((instruction) => instruction.args)).toContain('deploy/docker/healthcheck.cjs ./healthcheck.cjs');
    // The image's defaults, as the service resolves them, agree with the probe and EXPOSE.
    const { loaded, understood } = await loadRecorded(contract, { ...requiredSettings(image.service), ...stageEnv(runtime) });
    expect(understood.has(portVariable ?? '')).toBe(true);
    expect(String(loaded.healthPort)).toBe(defaultPort);
    expect(only(runtime, 'EXPOSE').map((instruction) => instruction.args)).toEqual([defaultPort]);
  });

  it('copies only files that exist and are not excluded from the build context', () => {
    for (const stage of dockerfile.stages) {
      for (const { args } of only(stage, 'COPY')) {
        if (args.startsWith('--from=')) continue;
        const sources = args.replace(/^(--\S+\s+)*/, '').split(/\s+/).slice(0, -1);
        for (const source of sources) expect(existsSync(repoPath(source))).toBe(true);
      }
    }
  });
});

/** The least a service needs to load, for checks of the image's own defaults. */
function requiredSettings(service: ServiceName): Record<string, string> {
  const etcd = { ETCD_ENDPOINTS: 'http://etcd:2379' };
  switch (service) {
    case 'ingestor':
      return { ...etcd, AWS_REGION: 'us-east-1', QUEUE_NAME: 'ecs-events' };
    case 'reconciler':
      return { ...etcd, AWS_REGION: 'us-east-1', REDIS_URL: 'redis://redis:6379' };
    case 'api':
      return etcd;
    case 'ecs-sim':
      return {};
  }
}
