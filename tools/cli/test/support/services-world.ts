import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { serviceSnapshot } from '@ecs-state/domain';
import { FAILING_HEALTH_CHECK, startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore } from '@ecs-state/etcd-store';
import { startApiOverIngestor } from './api-over-ingestor';
import { TOKEN } from './cli-world';

const QUEUE = 'ecs-events';
const APP = { name: 'app', image: 'public.ecr.aws/docker/library/nginx:latest', cpu: 128, memory: 256 };
/** Fails every task of its definition once RUNNING (the simulator's convention). */
const UNHEALTHY = { ...APP, healthCheck: FAILING_HEALTH_CHECK };

/**
 * Services as deployed: ECS calls on the simulator, their events ingested into real etcd
 * by the real ingestor process, DescribeServices snapshots merged into the store as the
 * reconciler merges them, and the REST API over a view of that etcd. Cluster `shop` runs
 * `web` (web:1, two tasks, circuit breaker with rollback; web:2 fails its health checks),
 * cluster `batch` runs `worker` (one task).
 */
export interface ServicesWorld {
  sim: Simulator;
  apiUrl: string;
  env: Record<string, string>;
  /** Rolls `web` out to `family:revision`. */
  updateWeb(taskDefinition: string): Promise<void>;
  /** DescribeServices of every service, merged into etcd (what a reconcile does for services). */
  describeIntoStore(): Promise<void>;
  until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  close(): Promise<void>;
}

export async function startServicesWorld(): Promise<ServicesWorld> {
  const sim = await startSimulator({ port: 0, region: 'us-east-1', queues: [QUEUE], eventQueue: QUEUE });
  const api = await startApiOverIngestor(sim, { queue: QUEUE, prefixLabel: '/cli-services' });
  const { ecs, apiUrl } = api;
  const store = new ClusterStateStore({ client: api.etcd, prefix: api.prefix });

  const services = { shop: ['web'], batch: ['worker'] } as const;
  for (const cluster of Object.keys(services)) {
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster,
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 8192 },
        ],
      }),
    );
  }
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [APP] })); // web:1
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [UNHEALTHY] })); // web:2
  await ecs.send(new RegisterTaskDefinitionCommand({ family: 'worker', containerDefinitions: [APP] })); // worker:1
  const circuitBreaker = { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 };
  await ecs.send(new CreateServiceCommand({ cluster: 'shop', serviceName: 'web', taskDefinition: 'web:1', desiredCount: 2, deploymentConfiguration: circuitBreaker }));
  await ecs.send(new CreateServiceCommand({ cluster: 'batch', serviceName: 'worker', taskDefinition: 'worker:1', desiredCount: 1 }));

  async function describeIntoStore(): Promise<void> {
    for (const [cluster, names] of Object.entries(services)) {
      const describedAt = new Date().toISOString();
      const answer = await ecs.send(new DescribeServicesCommand({ cluster, services: [...names] }));
      const records = (answer.services ?? []).map((service) => {
        const snapshot = serviceSnapshot(service, describedAt);
        if (!snapshot.ok) throw new Error(snapshot.message);
        return { kind: 'service' as const, record: snapshot.value };
      });
      await store.mergeServices(records);
    }
  }

  return {
    sim,
    apiUrl,
    env: { ECS_STATE_URL: apiUrl, ECS_STATE_TOKEN: TOKEN },
    async updateWeb(taskDefinition) {
      await ecs.send(new UpdateServiceCommand({ cluster: 'shop', service: 'web', taskDefinition }));
    },
    describeIntoStore,
    until: api.until,
    async close() {
      await api.close(async (etcd, prefix) => {
        await etcd.delete().prefix(`${prefix}/`);
        await store.close();
      });
      await sim.close();
    },
  };
}
