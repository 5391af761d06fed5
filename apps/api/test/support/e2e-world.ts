import { ECSClient } from '@aws-sdk/client-ecs';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { randomUUID } from 'node:crypto';
import { ApiClient } from './api-client';
import { ApiProcess } from './api-process';
import { entityDifferences, expectedEntities } from './expected-entities';
import { IngestorProcess } from '@ecs-state/test-services';

const QUEUE = 'ecs-events';

/**
 * The whole path a v1 client depends on: ECS calls on the simulator, its
 * events through SQS into the real ingestor, etcd, and the real api, each
 * service in its own process, on a fresh key prefix.
 */
export class E2eWorld {
  readonly prefix = `/e2e-api-${randomUUID().slice(0, 8)}`;
  sim!: Simulator;
  ecs!: ECSClient;
  etcd!: Etcd3;
  store!: ClusterStateStore;
  api!: ApiClient;
  private ingestor: IngestorProcess | undefined;
  private apiProcess: ApiProcess | undefined;

  constructor(private readonly etcdEndpoints: string) {}

  async start(): Promise<void> {
    this.sim = await startSimulator({ port: 0, region: 'us-east-1', queues: [QUEUE], eventQueue: QUEUE });
    this.ecs = new ECSClient({ region: 'us-east-1', endpoint: this.sim.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    // The prefix as the services read it, so the store is checked by the same rules.
    const etcdConfig = loadEtcdConfig({ ETCD_ENDPOINTS: this.etcdEndpoints, ETCD_PREFIX: this.prefix });
    this.etcd = createEtcdClient(etcdConfig);
    this.store = new ClusterStateStore({ client: this.etcd, prefix: etcdConfig.prefix });
    this.ingestor = new IngestorProcess({ simulatorEndpoint: this.sim.endpoint, etcdEndpoints: this.etcdEndpoints, etcdPrefix: this.prefix, queueName: QUEUE });
    this.apiProcess = new ApiProcess({ etcdEndpoints: this.etcdEndpoints, etcdPrefix: this.prefix });
    await Promise.all([this.ingestor.start(), this.apiProcess.start()]);
    this.api = new ApiClient(this.apiProcess.url);
  }

  get apiUrl(): string {
    if (!this.apiProcess) throw new Error('world not started');
    return this.apiProcess.url;
  }

  /**
   * Polls until ECS has no transition in flight (every task at its desired
   * status) and every task and instance the api lists equals its ground truth.
   */
  async untilApiMatchesTruth(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const expected = expectedEntities(this.sim);
      const moving = [...expected.tasks.values()].filter((task) => task['lastStatus'] !== task['desiredStatus']);
      const diffs = [
        ...moving.map((task) => `in transition ${String(task['taskARN'])}`),
        ...entityDifferences(expected.tasks, await this.api.entitiesByArn('/v1/tasks')),
        ...entityDifferences(expected.instances, await this.api.entitiesByArn('/v1/instances')),
      ];
      if (diffs.length === 0) return;
      if (Date.now() > deadline) throw new Error(`the api differs from ECS's ground truth:\n${diffs.slice(0, 10).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.ingestor?.kill(), this.apiProcess?.kill()]);
    await this.store?.close();
    this.etcd?.close();
    this.ecs?.destroy();
    await this.sim?.close();
  }
}
