import { randomUUID } from 'node:crypto';
import { CreateClusterCommand, ECSClient, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, type ContainerInstance, type Task } from '@aws-sdk/client-ecs';
import { allInstancesPrefix, allTasksPrefix, canonicalJson, keyForRecord, normalizeStateRecord, parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { PACKED_WEB_TASK_DEFINITION, WEB_TASK_DEFINITION } from '@ecs-state/test-support';
import { createLogger, createMetricsRegistry } from '@ecs-state/service-runtime';
import { Etcd3 } from 'etcd3';
import type { Registry } from 'prom-client';
import { loadReconcilerConfig } from '../src/config';
import { startReconcilerService, type ReconcilerService } from '../src/service';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export function testEnv(name: 'TEST_ETCD_ENDPOINTS' | 'TEST_REDIS_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (jest globalSetup)`);
  return value;
}

export interface World {
  sim: Simulator;
  admin: ECSClient;
  etcd: Etcd3;
  prefix: KeyPrefix;
  queuePrefix: string;
  clusters: string[];
  stored(): Promise<Map<string, string>>;
  expected(): Map<string, string>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Account and region of the simulated ECS (the simulator's defaults otherwise: us-east-1). */
  accountId?: string;
  region?: string;
  /** Share another world's store and queues (several accounts and regions in one deployment). */
  sharing?: World;
}

/** A simulated ECS with `clusters` clusters of one instance and `tasksPerCluster` tasks (a fifth on Fargate). */
export async function startWorld(clusterCount: number, tasksPerCluster: number, options: WorldOptions = {}): Promise<World> {
  const region = options.region ?? 'us-east-1';
  const sim = await startSimulator({
    port: 0,
    region,
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    ecs: { transitionDelayMs: 0 },
  });
  const admin = new ECSClient({ endpoint: sim.endpoint, region, credentials: CREDENTIALS, maxAttempts: 1 });
  const ecs = sim.ecs;
  if (ecs === undefined) throw new Error('simulator without ECS');
  await admin.send(new RegisterTaskDefinitionCommand({ ...PACKED_WEB_TASK_DEFINITION }));
  await admin.send(new RegisterTaskDefinitionCommand({ ...WEB_TASK_DEFINITION, family: 'fargate-web' }));
  const clusters: string[] = [];
  for (let i = 0; i < clusterCount; i++) {
    const format = i % 2 === 0 ? 'long' : 'short';
    const out = await admin.send(new CreateClusterCommand({ clusterName: `c${i}`, tags: [{ key: 'ecs-sim:arn-format', value: format }] }));
    const arn = out.cluster?.clusterArn as string;
    clusters.push(arn);
    await admin.send(
      new RegisterContainerInstanceCommand({
        cluster: arn,
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 1 << 20 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 1 << 22 },
        ],
      }),
    );
    const fargate = Math.floor(tasksPerCluster / 5);
    ecs.populateRunningTasks({ cluster: arn, taskDefinition: 'web', count: tasksPerCluster - fargate });
    if (fargate > 0) ecs.populateRunningTasks({ cluster: arn, taskDefinition: 'fargate-web', count: fargate, launchType: 'FARGATE' });
  }
  const etcd = new Etcd3({ hosts: testEnv('TEST_ETCD_ENDPOINTS').split(',') });
  const parsed = parseKeyPrefix(options.sharing?.prefix ?? `/r-${randomUUID().slice(0, 8)}`);
  if (!parsed.ok) throw new Error(parsed.message);
  const prefix = parsed.value;
  return {
    sim,
    admin,
    etcd,
    prefix,
    queuePrefix: options.sharing?.queuePrefix ?? `q-${randomUUID().slice(0, 8)}`,
    clusters,
    async stored() {
      const out = new Map<string, string>();
      for (const root of [allTasksPrefix(prefix), allInstancesPrefix(prefix)]) {
        for (const [k, v] of Object.entries(await etcd.getAll().prefix(root).strings())) out.set(k, v);
      }
      return out;
    },
    expected() {
      const truth = sim.groundTruth() as { tasks: Task[]; containerInstances: ContainerInstance[] };
      const out = new Map<string, string>();
      for (const [kind, items] of [['task', truth.tasks], ['instance', truth.containerInstances]] as const) {
        for (const item of items) {
          // Ground truth carries tags; events and Describe* without include=TAGS do not.
          const { tags: _tags, ...rest } = item as { tags?: unknown };
          const state = normalizeStateRecord(kind, rest);
          if (!state.ok) throw new Error(state.message);
          const key = keyForRecord(prefix, state.value);
          if (!key.ok) throw new Error(key.message);
          out.set(key.value, canonicalJson(state.value.record));
        }
      }
      return out;
    },
    async close() {
      admin.destroy();
      await Promise.all([allTasksPrefix(prefix), allInstancesPrefix(prefix)].map((p) => etcd.delete().prefix(p)));
      etcd.close();
      await sim.close();
    },
  };
}

export interface StartedService {
  service: ReconcilerService;
  registry: Registry;
}

export async function startService(world: World, env: Record<string, string> = {}): Promise<StartedService> {
  const config = loadReconcilerConfig({
    REDIS_URL: testEnv('TEST_REDIS_URL'),
    RECONCILE_QUEUE_PREFIX: world.queuePrefix,
    RECONCILE_INTERVAL: 'off',
    RECONCILE_RETRY_BACKOFF_MS: '200',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_ECS: world.sim.endpoint,
    ETCD_ENDPOINTS: testEnv('TEST_ETCD_ENDPOINTS'),
    ETCD_PREFIX: world.prefix,
    METRICS_PORT: '0',
    LOG_LEVEL: 'error',
    ...env,
  });
  const registry = createMetricsRegistry('reconciler');
  const service = await startReconcilerService({ config, logger: createLogger('reconciler', 'error'), registry, credentials: CREDENTIALS });
  return { service, registry };
}

export async function counterTotal(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).reduce((sum, v) => sum + Number(v.value), 0);
}
