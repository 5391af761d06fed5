import { existsSync } from 'node:fs';
import { finalStage, readDockerfile, stageEnv } from './support/dockerfile';
import { interpolate, readComposeFile, resolveCompose, type ResolvedService } from './support/compose';
import { repoPath } from './support/repo';
import { CONTRACTS, loadRecorded, unreadVariables, type ServiceName } from './support/service-contracts';

const SERVICES: ServiceName[] = ['ecs-sim', 'ingestor', 'reconciler', 'api'];

// `docker compose up` as it is, and the same file pointed at real AWS by environment only.
const HOST_ENVIRONMENTS: Record<string, Record<string, string>> = {
  simulator: {},
  'real AWS': {
    AWS_ENDPOINT_URL: '',
    AWS_REGION: 'eu-west-1',
    QUEUE_NAME: 'prod-ecs-events',
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'session-token',
    API_TOKENS: 'token-a,token-b',
  },
};

function service(services: Map<string, ResolvedService>, name: string): ResolvedService {
  const found = services.get(name);
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** What the container's process sees: the image's ENV, overridden by compose. */
function containerEnv(name: ServiceName, resolved: ResolvedService): Record<string, string> {
  const image = stageEnv(finalStage(readDockerfile(`deploy/docker/${name}.Dockerfile`)));
  return { ...image, ...resolved.environment };
}

describe('compose variable substitution', () => {
  it('follows compose: ":-" covers unset and empty, "-" only unset', () => {
    expect(interpolate('${A:-x}/${A-y}', {})).toBe('x/y');
    expect(interpolate('${A:-x}/${A-y}', { A: '' })).toBe('x/');
    expect(interpolate('${A:-x} $A $$A', { A: 'v' })).toBe('v v $A');
    expect(() => interpolate('${A:?must be set}', {})).toThrow('A: must be set');
  });
});

describe('docker-compose.yml', () => {
  const file = readComposeFile();

  it('runs etcd, Redis, the simulator and the three services', () => {
    expect(Object.keys(file.services).sort()).toEqual(['api', 'ecs-sim', 'etcd', 'ingestor', 'reconciler', 'redis']);
  });

  it('pins the etcd and Redis images and waits for them to be healthy', () => {
    expect(file.services['etcd']?.image).toMatch(/^quay\.io\/coreos\/etcd:v3\.\d+\.\d+$/);
    expect(file.services['redis']?.image).toMatch(/^redis:7\.\d+/);
    for (const name of ['etcd', 'redis']) expect(file.services[name]?.healthcheck?.test.length).toBeGreaterThan(1);
    expect(file.services['api']?.depends_on?.['etcd']?.condition).toBe('service_healthy');
    expect(file.services['reconciler']?.depends_on?.['redis']?.condition).toBe('service_healthy');
  });

  it('restarts every service after a crash or a Docker restart, until it is stopped', () => {
    // All of them run until stopped; a one-shot helper, if one is added, would take `on-failure`.
    const policies = Object.fromEntries(Object.entries(file.services).map(([name, s]) => [name, s.restart]));
    expect(policies).toEqual(Object.fromEntries(Object.keys(file.services).map((name) => [name, 'unless-stopped'])));
  });

  it('gives Redis the persistence and eviction policy BullMQ needs', () => {
    const command = file.services['redis']?.command;
    expect(command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']));
  });

  it.each(SERVICES)('builds %s from its own Dockerfile', (name) => {
    const build = file.services[name]?.build;
    expect(build).toEqual({ context: '.', dockerfile: `deploy/docker/${name}.Dockerfile` });
    expect(existsSync(repoPath(`deploy/docker/${name}.Dockerfile`))).toBe(true);
    // The image's ENTRYPOINT is the service; compose passes arguments at most.
    expect(file.services[name]?.entrypoint).toBeUndefined();
  });

  describe.each(Object.entries(HOST_ENVIRONMENTS))('with the %s environment', (_, hostEnv) => {
    const services = resolveCompose(hostEnv);

    it.each(SERVICES)('%s loads its configuration, and reads every variable compose sets', async (name) => {
      const resolved = service(services, name);
      const env = containerEnv(name, resolved);
      const { loaded, understood } = await loadRecorded(CONTRACTS[name], env, resolved.command);
      expect(unreadVariables(Object.keys(env), understood)).toEqual([]);
      // The published port is the one the service listens on.
      expect(resolved.containerPorts).toContain(loaded.healthPort);
      // So is the one Prometheus scrapes without a token: each of the three services has one.
      if (name !== 'ecs-sim') {
        expect(loaded.metricsPort).toBeDefined();
        expect(resolved.containerPorts).toContain(loaded.metricsPort);
      }
    });

    it('points the services at the etcd and Redis containers', async () => {
      for (const name of ['ingestor', 'reconciler', 'api']) {
        expect(service(services, name).environment['ETCD_ENDPOINTS']).toBe('http://etcd:2379');
      }
      for (const name of ['reconciler', 'api']) {
        expect(service(services, name).environment['REDIS_URL']).toBe('redis://redis:6379');
      }
      expect(file.services['etcd']?.command).toEqual(expect.arrayContaining(['--advertise-client-urls=http://etcd:2379', '--listen-client-urls=http://0.0.0.0:2379']));
      // The api and the reconciler must agree on the reconcile queues.
      expect(service(services, 'api').environment['RECONCILE_QUEUE_PREFIX']).toBe(service(services, 'reconciler').environment['RECONCILE_QUEUE_PREFIX']);
    });

    it('serves the API docs to a browser, which sends no token, while the data needs one', async () => {
      const api = service(services, 'api');
      const { loaded } = await loadRecorded(CONTRACTS.api, containerEnv('api', api), api.command);
      expect(api.environment['API_TOKENS']).toBeTruthy();
      expect(loaded.publicDocs).toBe(true);
    });

    it("publishes the api's token-free metrics port on the host's loopback only", () => {
      expect(service(services, 'api').raw.ports?.filter((mapping) => mapping.endsWith(':9101'))).toEqual(['127.0.0.1:${API_METRICS_PORT:-9101}:9101']);
    });

    it('gives the api no AWS settings: it calls no AWS service', () => {
      expect(Object.keys(service(services, 'api').environment).filter((key) => key.startsWith('AWS_'))).toEqual([]);
    });
  });

  it('wires the ingestor and the reconciler to the simulator by default', async () => {
    const services = resolveCompose({});
    const sim = service(services, 'ecs-sim');
    const { loaded } = await loadRecorded(CONTRACTS['ecs-sim'], containerEnv('ecs-sim', sim), sim.command);
    const simulator = loaded.simulator;
    expect(simulator).toBeDefined();
    // Reachable from the other containers, and queue URLs that resolve there.
    expect(simulator?.host).toBe('0.0.0.0');
    expect(simulator?.publicUrl).toBe(`http://ecs-sim:${simulator?.port}`);
    for (const name of ['ingestor', 'reconciler']) {
      expect(service(services, name).environment['AWS_ENDPOINT_URL']).toBe(`http://ecs-sim:${simulator?.port}`);
    }
    expect(service(services, 'ingestor').environment['QUEUE_NAME']).toBe(simulator?.eventQueue);
    // A demo workload, and a little event loss so that the reconciler has drift to repair.
    expect(simulator?.workloadClusters).toBeGreaterThan(0);
    expect(simulator?.eventDropRate).toBeGreaterThan(0);
    expect(simulator?.eventDropRate).toBeLessThan(0.1);
  });

  it('reaches real AWS by environment alone: no simulator endpoint, the given region and queue', () => {
    const services = resolveCompose(HOST_ENVIRONMENTS['real AWS'] ?? {});
    for (const name of ['ingestor', 'reconciler']) {
      const env = service(services, name).environment;
      // An empty endpoint is ignored by the AWS SDK: it uses the region's real endpoints.
      expect(env['AWS_ENDPOINT_URL']).toBe('');
      expect(env['AWS_REGION']).toBe('eu-west-1');
      expect(env['AWS_ACCESS_KEY_ID']).toBe('AKIAIOSFODNN7EXAMPLE');
    }
    expect(service(services, 'ingestor').environment['QUEUE_NAME']).toBe('prod-ecs-events');
    expect(service(services, 'api').environment['API_TOKENS']).toBe('token-a,token-b');
  });
});
