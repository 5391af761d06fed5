import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { buildProjects, externalPackages, runNode, type Exit } from './support/build-output';
import { execForm, finalStage, only, readDockerfile } from './support/dockerfile';
import { REPO_ROOT, readRepoFile, repoPath } from './support/repo';

// The images' commands, run from the build output as the container runs them (WORKDIR = the
// directory holding dist/), with nothing in the environment but PATH.
const dependencies = z.object({ dependencies: z.record(z.string(), z.string()) }).parse(JSON.parse(readRepoFile('package.json'))).dependencies;

function entrypoint(service: string): string[] {
  const instruction = only(finalStage(readDockerfile(`deploy/docker/${service}.Dockerfile`)), 'ENTRYPOINT')[0];
  const command = execForm(instruction?.args ?? '');
  if (!command || command[0] !== 'node') throw new Error(`${service}: ENTRYPOINT is not node in exec form`);
  return command.slice(1);
}

// Asynchronous: the probed server may live in this process.
function runHealthcheck(env: Record<string, string>, args: string[]): Promise<number | null> {
  const child = spawn(process.execPath, [repoPath('deploy/docker/healthcheck.cjs'), ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const APPS = ['ingestor', 'reconciler', 'api'] as const;
const exits = new Map<string, Exit>();

beforeAll(async () => {
  await buildProjects(['apps/ingestor', 'apps/api', 'apps/reconciler', 'tools/ecs-sim']);
  // Started together: each takes a few seconds to load its dependencies.
  const results = await Promise.all(APPS.map((service) => runNode(entrypoint(service), { PATH: process.env['PATH'] ?? '' })));
  APPS.forEach((service, index) => exits.set(service, results[index] as Exit));
}, 90_000);

describe('the bundles', () => {
  // The ingestor's SQS thread is a bundle of its own, loaded from beside main.js.
  it.each(['apps/ingestor/main.js', 'apps/ingestor/sqs-thread.worker.js', 'apps/api/main.js', 'apps/reconciler/main.js', 'tools/ecs-sim/main.js'])('dist/%s needs only production dependencies', (bundle) => {
    const needed = externalPackages(readFileSync(repoPath(`dist/${bundle}`), 'utf8')).filter((name) => !builtinModules.includes(name));
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((name) => !(name in dependencies))).toEqual([]);
  });
});

describe('the image entry commands', () => {
  it.each([
    ['ingestor', 2, ['AWS_REGION', 'ETCD_ENDPOINTS', 'QUEUE_URL']],
    ['reconciler', 2, ['REDIS_URL', 'AWS_REGION', 'ETCD_ENDPOINTS']],
    ['api', 2, ['ETCD_ENDPOINTS']],
  ] as const)('%s starts from the bundle and refuses an empty configuration, naming what is missing', (service, status, variables) => {
    const result = exits.get(service);
    expect(result?.status).toBe(status);
    for (const variable of variables) expect(result?.stderr).toContain(variable);
  });

  it('ingestor refuses to start when its SQS thread bundle is missing from beside main.js', async () => {
    // A copy of the bundle alone, inside the repository so that node_modules still resolves.
    const lonely = repoPath('dist/test-ingestor-without-worker');
    rmSync(lonely, { recursive: true, force: true });
    mkdirSync(lonely, { recursive: true });
    copyFileSync(repoPath('dist/apps/ingestor/main.js'), join(lonely, 'main.js'));
    const env = { PATH: process.env['PATH'] ?? '', AWS_REGION: 'us-east-1', ETCD_ENDPOINTS: 'http://127.0.0.1:1', QUEUE_NAME: 'ecs-events', METRICS_PORT: '0' };
    const result = await runNode([join(lonely, 'main.js')], env);
    rmSync(lonely, { recursive: true, force: true });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('sqs-thread.worker.js is missing');
    expect(result.stderr).toContain('INGEST_SQS_THREAD=false');
  });

  it('ecs-sim serves its health route to the image health check and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [...entrypoint('ecs-sim'), '--clusters=1', '--rate=0', '--drop-rate=0.02'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env['PATH'] ?? '', ECS_SIM_HOST: '127.0.0.1', ECS_SIM_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`ecs-sim exited with ${code}`)));
      });
      expect(await runHealthcheck({ ECS_SIM_PORT: port }, ['ECS_SIM_PORT', '4566', '/_sim/health'])).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 30_000);
});

describe('healthcheck.cjs', () => {
  let server: Server;
  let port: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/healthz' ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = String((server.address() as AddressInfo).port);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('succeeds on 200 at the port the named variable holds', async () => {
    expect(await runHealthcheck({ METRICS_PORT: port }, ['METRICS_PORT', '1', '/healthz'])).toBe(0);
  });

  it('uses the default port when the variable is unset or empty', async () => {
    expect(await runHealthcheck({}, ['PORT', port, '/healthz'])).toBe(0);
    expect(await runHealthcheck({ PORT: '' }, ['PORT', port, '/healthz'])).toBe(0);
  });

  it('fails on any other status and when nothing listens', async () => {
    expect(await runHealthcheck({ PORT: port }, ['PORT', '1', '/readyz'])).toBe(1);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = String((closed.address() as AddressInfo).port);
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await runHealthcheck({ PORT: closedPort }, ['PORT', '1', '/healthz'])).toBe(1);
  });
});
