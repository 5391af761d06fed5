import { randomUUID } from 'node:crypto';
import { startSimulator, type Simulator, type SimulatorOptions } from '@ecs-state/ecs-sim';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { startEtcdCluster, type EtcdCluster } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { keyPrefix } from './key-prefix';
import type { Deployment } from './services';

/**
 * What every scenario starts from: a three-member etcd, the simulator in the test process and
 * a key prefix of the scenario's own; the services it runs are the scenario's.
 */
export class HaWorld {
  private readonly opened: { client: Etcd3; store: ClusterStateStore }[] = [];

  private constructor(
    readonly cluster: EtcdCluster,
    readonly sim: Simulator,
    readonly deployment: Deployment,
  ) {}

  /** `name` goes into the etcd prefix, so that a leftover key names its scenario. */
  static async start(name: string, simulator: Omit<SimulatorOptions, 'port' | 'region'>): Promise<HaWorld> {
    const cluster = await startEtcdCluster({ members: 3 });
    const sim = await startSimulator({ port: 0, region: 'us-east-1', ...simulator }).catch(async (error: unknown) => {
      await cluster.stop();
      throw error;
    });
    const deployment: Deployment = { etcdEndpoints: cluster.endpoints, etcdPrefix: `/ha-${name}-${randomUUID().slice(0, 8)}`, simulatorEndpoint: sim.endpoint };
    return new HaWorld(cluster, sim, deployment);
  }

  /** The test's own view of the store, through `endpoints` (every member unless named); closed by close(). */
  openStore(endpoints: readonly string[] = this.cluster.endpoints): { client: Etcd3; store: ClusterStateStore } {
    const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: endpoints.join(',') }));
    const opened = { client, store: new ClusterStateStore({ client, prefix: keyPrefix(this.deployment.etcdPrefix) }) };
    this.opened.push(opened);
    return opened;
  }

  /** After the scenario's services are stopped. */
  async close(): Promise<void> {
    this.sim.workload?.stop();
    for (const { client, store } of this.opened) {
      await store.close();
      client.close();
    }
    await this.sim.close();
    await this.cluster.stop();
  }
}
