import { SQSClient } from '@aws-sdk/client-sqs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { startSimulator, type Simulator, type SimulatorOptions } from '@ecs-state/ecs-sim';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import type { Etcd3 } from 'etcd3';
import { randomUUID } from 'node:crypto';
import { IngestorProcess } from '@ecs-state/test-services';

export const QUEUE = 'ecs-events';
export const DLQ = 'ecs-events-dlq';
export const MAX_RECEIVE_COUNT = 2;

/** A simulator with an event queue and its dead-letter queue, a store on a fresh prefix, and ingestors to start. */
export class E2eWorld {
  readonly prefix = `/e2e-${randomUUID().slice(0, 8)}`;
  readonly ingestors: IngestorProcess[] = [];
  sim!: Simulator;
  etcd!: Etcd3;
  store!: ClusterStateStore;
  sqs!: SQSClient;
  ecs!: ECSClient;

  constructor(private readonly etcdEndpoints: string) {}

  async start(options: Omit<SimulatorOptions, 'port' | 'queues' | 'eventQueue'> = {}): Promise<void> {
    this.sim = await startSimulator({
      port: 0,
      region: 'us-east-1',
      queues: [
        DLQ,
        {
          name: QUEUE,
          attributes: {
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${DLQ}`,
              maxReceiveCount: MAX_RECEIVE_COUNT,
            }),
          },
        },
      ],
      eventQueue: QUEUE,
      ...options,
    });
    // The prefix as the services read it, so the store is checked by the same rules.
    const etcdConfig = loadEtcdConfig({ ETCD_ENDPOINTS: this.etcdEndpoints, ETCD_PREFIX: this.prefix });
    this.etcd = createEtcdClient(etcdConfig);
    this.store = new ClusterStateStore({ client: this.etcd, prefix: etcdConfig.prefix });
    const client = { region: 'us-east-1', endpoint: this.sim.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    this.sqs = new SQSClient(client);
    this.ecs = new ECSClient(client);
  }

  async startIngestor(env: Record<string, string> = {}, etcdEndpoints = this.etcdEndpoints): Promise<IngestorProcess> {
    const ingestor = new IngestorProcess({
      simulatorEndpoint: this.sim.endpoint,
      etcdEndpoints,
      etcdPrefix: this.prefix,
      queueName: QUEUE,
      env,
    });
    this.ingestors.push(ingestor);
    await ingestor.start();
    return ingestor;
  }

  /** Waits until every event the simulator holds back (delay fault) has reached the queue. */
  async eventsDelivered(): Promise<void> {
    while ((this.sim.events?.pending ?? 0) > 0) await new Promise((r) => setTimeout(r, 50));
  }

  async close(): Promise<void> {
    await Promise.all(this.ingestors.map((i) => i.kill()));
    this.sim?.workload?.stop();
    await this.store?.close();
    this.etcd?.close();
    this.sqs?.destroy();
    this.ecs?.destroy();
    await this.sim?.close();
  }
}
