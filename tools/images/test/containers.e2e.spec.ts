import { randomUUID } from 'node:crypto';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { freePort, testEtcdEndpoints, testRedisUrl } from '@ecs-state/local-services';
import { SERVICE_IMAGES, type ServiceImage } from '../src/service-images';
import { differences, served, truth, untilServedMatchesTruth, type Versions } from './support/cluster-state';
import { pollRun, requestReconcile } from './support/reconcile-runs';
import { templateContainers, type TemplateContainer } from './support/task-definitions';
import { TestContainers, type HealthState } from './support/test-containers';

// The images must have been built (`npx nx run images:build-images`, which `test` depends on).
jest.setTimeout(240_000);

type Service = 'ingestor' | 'reconciler' | 'api';
const SERVICES: Service[] = ['ingestor', 'reconciler', 'api'];
const TOKEN = 'images-test-token';
const HEALTHY_WITHIN_MS = 120_000;

function imageOf(service: Service): ServiceImage {
  const image = SERVICE_IMAGES.find((candidate) => candidate.service === service);
  if (!image) throw new Error(`no image for ${service}`);
  return image;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until ECS has stopped changing (tasks move through their states on timers). */
async function settled(sim: Simulator): Promise<Versions> {
  let last = truth(sim);
  for (let quiet = 0; quiet < 4; ) {
    await sleep(250);
    const now = truth(sim);
    quiet = differences(last, now).length === 0 ? quiet + 1 : 0;
    last = now;
  }
  return last;
}

describe('the service images, run as the CloudFormation template runs them', () => {
  const containers = new TestContainers();
  const template = templateContainers();
  const run = randomUUID().slice(0, 8);
  const prefix = `/images-test-${run}`;
  const queuePrefix = `images-test-${run}`;
  const names = new Map<Service, string>();
  const health = new Map<Service, HealthState>();
  let sim: Simulator;
  let api: string;

  function definition(service: Service): TemplateContainer {
    const found = template.get(service);
    if (!found) throw new Error(`the template has no container ${service}`);
    return found;
  }

  /** The template's literal settings, pointed at the host's etcd, Redis and simulator. */
  function environment(service: Service): Record<string, string> {
    const store = { ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: prefix };
    const aws = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    const literal = definition(service).literalEnvironment;
    switch (service) {
      case 'ingestor':
        // A short visibility timeout: what an interrupted ingestor held comes back within the test.
        return { ...literal, ...store, ...aws, AWS_ENDPOINT_URL_SQS: sim.endpoint, QUEUE_URL: sim.eventQueueUrl ?? '', INGEST_VISIBILITY_TIMEOUT: '5' };
      case 'reconciler':
        // Runs only on request, so that what the api serves before a request came through the ingestor.
        return {
          ...literal,
          ...store,
          ...aws,
          AWS_ENDPOINT_URL_ECS: sim.endpoint,
          REDIS_URL: testRedisUrl(),
          RECONCILE_QUEUE_PREFIX: queuePrefix,
          RECONCILE_INTERVAL: 'off',
          RECONCILE_ON_EMPTY_STORE: 'false',
        };
      case 'api':
        return { ...literal, ...store, REDIS_URL: testRedisUrl(), RECONCILE_QUEUE_PREFIX: queuePrefix, API_TOKENS: TOKEN, HOST: '127.0.0.1' };
    }
  }

  /** Starts one container of `service` as the template runs it and waits for its health check to pass. */
  async function start(service: Service, name: string): Promise<{ name: string; port: number; health: HealthState }> {
    const container = definition(service);
    const env = environment(service);
    // The containers share the host's network: every port the service is given (its health
    // port, named by the health check, and any other) moves to a free one.
    const healthPortVariable = container.healthCheckCommand[3] ?? '';
    for (const variable of new Set([healthPortVariable, ...Object.keys(env).filter((key) => /(^|_)PORT$/.test(key))])) env[variable] = String(await freePort());
    const port = Number(env[healthPortVariable]);
    const started = await containers.run({
      name,
      image: imageOf(service).tag,
      env,
      stopTimeoutSeconds: container.stopTimeoutSeconds,
      readOnly: container.readonlyRootFilesystem,
      tmpfs: container.tmpfs,
    });
    return { name: started, port, health: await containers.waitHealthy(started, HEALTHY_WITHIN_MS) };
  }

  beforeAll(async () => {
    await containers.removeLeftovers();
    sim = await startSimulator({
      port: 0,
      region: 'us-east-1',
      // The clusters, instances and tasks set up at start reach the queue as events.
      workload: { clusters: 2, instancesPerCluster: 2, tasksPerCluster: 8, start: false, seed: 21, publishPopulation: true },
    });
    const started = await Promise.all(SERVICES.map((service) => start(service, service)));
    SERVICES.forEach((service, index) => {
      const { name, port, health: state } = started[index] ?? { name: '', port: 0, health: undefined };
      names.set(service, name);
      if (state) health.set(service, state);
      if (service === 'api') api = `http://127.0.0.1:${port}`;
    });
  }, HEALTHY_WITHIN_MS + 60_000);

  afterAll(async () => {
    await containers.removeAll();
    await sim?.close();
  });

  const nameOf = (service: Service) => names.get(service) ?? '';

  it.each(SERVICES)('%s turns healthy through the HEALTHCHECK of its image, the command the template runs', async (service) => {
    expect(health.get(service)?.Status).toBe('healthy');
    expect(health.get(service)?.Log?.at(-1)?.ExitCode).toBe(0);
    const imageCheck = JSON.parse(containers.podman.imageField(imageOf(service).tag, '{{json .Config.Healthcheck.Test}}')) as string[];
    expect(imageCheck).toEqual(definition(service).healthCheckCommand);
  });

  it.each(SERVICES)('%s runs as the unprivileged node user, node as PID 1, on a read-only root filesystem', async (service) => {
    const name = nameOf(service);
    expect(definition(service).readonlyRootFilesystem).toBe(true);
    expect(await containers.inspect(name, '{{.HostConfig.ReadonlyRootfs}}')).toBe('true');
    const status = await containers.exec(name, ['cat', '/proc/1/status']);
    expect(status.output).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect((await containers.exec(name, ['cat', '/proc/1/cmdline'])).output.split('\0')[0]).toBe('node');
    const rootMount = (await containers.exec(name, ['cat', '/proc/1/mounts'])).output.split('\n').find((line) => line.split(' ')[1] === '/');
    expect(rootMount?.split(' ')[3]?.split(',')).toContain('ro');
    for (const path of ['/app/probe', '/tmp/probe', '/home/node/probe']) {
      const write = await containers.exec(name, ['node', '-e', `require('node:fs').writeFileSync('${path}', 'x')`]);
      expect(write.status).not.toBe(0);
      expect(write.output).toContain('EROFS');
    }
  });

  it('serves through the containerised api what the containerised ingestor takes from the queue', async () => {
    // The set-up population is in the queue already; the churn adds starts and stops.
    sim.workload?.step(30);
    const expected = await settled(sim);
    expect(expected.size).toBeGreaterThan(16);
    await untilServedMatchesTruth(sim, api, TOKEN, 60_000);
  });

  it('runs POST /v1/reconcile to completion in the containerised reconciler, repairing what the events missed', async () => {
    sim.faults.update({ events: { dropRate: 1 } });
    sim.workload?.step(20);
    const expected = await settled(sim);
    sim.faults.update({ events: { dropRate: 0 } });
    expect(differences(expected, await served(api, TOKEN)).length).toBeGreaterThan(0);

    const id = await requestReconcile(api, TOKEN);
    const finished = await pollRun(api, TOKEN, id, (state) => state.state === 'completed' || state.state === 'failed', 90_000);
    expect(finished.state).toBe('completed');
    expect(finished.report?.clusters.map((cluster) => cluster.outcome)).toEqual(['reconciled', 'reconciled']);
    expect(await containers.logs(nameOf('reconciler'))).toContain('reconcile run finished');
    await untilServedMatchesTruth(sim, api, TOKEN, 60_000);
  });

  it('podman stop ends the ingestor (SIGTERM) within its stop timeout with exit 0, and no event is lost', async () => {
    sim.workload?.step(200);
    const stopped = await containers.stop(nameOf('ingestor'));
    expect(stopped.exitCode).toBe(0);
    expect(stopped.seconds).toBeLessThan(definition('ingestor').stopTimeoutSeconds);
    // Whatever the stopped ingestor had received and not written is visible again after the
    // visibility timeout; a replacement then brings the store to exactly what ECS holds.
    const replacement = await start('ingestor', 'ingestor-replacement');
    await settled(sim);
    await untilServedMatchesTruth(sim, api, TOKEN, 60_000);
    const again = await containers.stop(replacement.name);
    expect(again.exitCode).toBe(0);
  });

  it('podman stop ends the reconciler in the middle of a run within its stop timeout with exit 0, and the run completes', async () => {
    // Slow ECS, so that SIGTERM lands while clusters are being reconciled.
    sim.faults.update({ ecs: { latencyMs: 1000 } });
    try {
      const id = await requestReconcile(api, TOKEN);
      const running = await pollRun(api, TOKEN, id, (state) => state.state !== 'queued', 30_000);
      expect(running.state).toBe('running');
      const stopped = await containers.stop(nameOf('reconciler'));
      expect(stopped.exitCode).toBe(0);
      expect(stopped.seconds).toBeLessThan(definition('reconciler').stopTimeoutSeconds);
      expect(await containers.logs(nameOf('reconciler'))).toContain('stopped cleanly');
      sim.faults.update({ ecs: { latencyMs: 0 } });
      // Cluster jobs the stopped replica gave back are taken by the next one.
      const replacement = await start('reconciler', 'reconciler-replacement');
      const finished = await pollRun(api, TOKEN, id, (state) => state.state === 'completed' || state.state === 'failed', 90_000);
      expect(finished.state).toBe('completed');
      expect((await containers.stop(replacement.name)).exitCode).toBe(0);
    } finally {
      sim.faults.update({ ecs: { latencyMs: 0 } });
    }
  });

  it('podman stop ends the api within its stop timeout with exit 0, closing its open streams', async () => {
    const stream = await fetch(`${api}/v1/stream/tasks`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(stream.status).toBe(200);
    const body = stream.body?.getReader();
    const ended = (async () => {
      for (;;) {
        const chunk = await body?.read();
        if (!chunk || chunk.done) return 'ended';
      }
    })().catch(() => 'reset');
    const stopped = await containers.stop(nameOf('api'));
    expect(stopped.exitCode).toBe(0);
    expect(stopped.seconds).toBeLessThan(definition('api').stopTimeoutSeconds);
    expect(await ended).toBe('ended');
  });
});
