import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import { COMPOSE_STAND_INS } from '../src/compose-stand-ins';
import { Podman } from '../src/podman';
import { SERVICE_IMAGES } from '../src/service-images';
import { WORKSPACE_ROOT } from '../src/workspace';
import { ComposeProject } from './support/compose-project';
import { waitHealthy } from './support/health';
import { pollRun, requestReconcile } from './support/reconcile-runs';

// The images must have been built (`npx nx run images:build-images`, which `test` depends on).
jest.setTimeout(240_000);

const TOKEN = 'demo-token';
const SERVICES = ['etcd', 'redis', 'ecs-sim', 'ingestor', 'reconciler', 'api'];

describe('docker-compose.yml under podman-compose, on the images built here', () => {
  const podman = new Podman();
  let project: ComposeProject;
  let api: string;

  beforeAll(async () => {
    await ComposeProject.removeLeftovers(podman);
    // Only the published ports change (every `${…PORT…}` of the file, to free ones); the demo
    // workload and every other setting are the file's.
    const portVariables = new Set([...readFileSync(join(WORKSPACE_ROOT, 'docker-compose.yml'), 'utf8').matchAll(/\$\{(\w*PORT)\b/g)].map((match) => match[1] ?? ''));
    expect(portVariables).toContain('API_PORT');
    const ports: Record<string, string> = {};
    for (const variable of portVariables) ports[variable] = String(await freePort());
    api = `http://127.0.0.1:${ports['API_PORT']}`;
    project = new ComposeProject(podman, ports);
    await project.up();
  }, 300_000);

  afterAll(async () => {
    await project?.down();
  });

  it('brings every service up healthy, the three services and the simulator on the images built here', async () => {
    // podman-compose starts services in dependency order without waiting for health, and the
    // restart policy brings back one that started before its dependencies answered.
    const states = await Promise.all(SERVICES.map((service) => waitHealthy(podman, project.container(service), 180_000, true)));
    expect(states.map((state) => state.Status)).toEqual(SERVICES.map(() => 'healthy'));
    const expected = [...SERVICE_IMAGES.map((image) => ({ service: image.service, tag: image.tag })), ...COMPOSE_STAND_INS.map((image) => ({ service: image.name, tag: image.tag }))];
    for (const { service, tag } of expected) {
      const running = (await podman.runAsync(['inspect', '--format', '{{.Image}}', project.container(service)])).stdout.trim();
      expect(running).toBe(podman.imageField(tag, '{{.ID}}'));
    }
  });

  it('serves the simulated clusters through the api: data behind the token, docs open', async () => {
    await eventually(
      'the api to serve simulated tasks',
      async () => {
        const answer = await fetch(`${api}/v1/tasks?limit=10`, { headers: { authorization: `Bearer ${TOKEN}` } });
        return answer.status === 200 && ((await answer.json()) as { items: unknown[] }).items.length > 0;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    expect((await fetch(`${api}/v1/tasks?limit=1`)).status).toBe(401);
    expect((await fetch(`${api}/docs/json`)).status).toBe(200);
  });

  it('runs a manual reconcile of every simulated cluster through the api and the reconciler', async () => {
    const id = await requestReconcile(api, TOKEN);
    const run = await pollRun(api, TOKEN, id, (state) => state.state === 'completed' || state.state === 'failed', 120_000);
    expect(run.state).toBe('completed');
    expect(run.plannedClusters).toBe(3);
    expect(run.report?.clusters.map((cluster) => cluster.outcome)).toEqual(['reconciled', 'reconciled', 'reconciled']);
  });
});
