import {
  ClusterNotFoundException,
  CreateClusterCommand,
  DescribeClustersCommand,
  ECSClient,
  ListContainerInstancesCommand,
  RegisterContainerInstanceCommand,
} from '@aws-sdk/client-ecs';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Simulator } from '../src';
import { startSimulator } from '../src';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

let sim: Simulator;
let ecs: ECSClient;
let sqs: SQSClient;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ecs: { seed: 4, transitionDelayMs: 0 } });
  ecs = new ECSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials });
  sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials });
});

afterAll(async () => {
  ecs.destroy();
  sqs.destroy();
  await sim.close();
});

describe('the simulated ECS behind the shared endpoint', () => {
  it('serves ECS calls from the same port as SQS, with ECS exception classes', async () => {
    const { cluster } = await ecs.send(new CreateClusterCommand({ clusterName: 'wired' }));
    expect(cluster?.clusterArn).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/wired');
    const described = await ecs.send(new DescribeClustersCommand({ clusters: ['wired'] }));
    expect(described.clusters?.[0]?.status).toBe('ACTIVE');
    await expect(ecs.send(new ListContainerInstancesCommand({ cluster: 'ghost' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });

  it('publishes ECS state-change events into the event queue', async () => {
    await ecs.send(new RegisterContainerInstanceCommand({ cluster: 'wired' }));
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: sim.eventQueueUrl, WaitTimeSeconds: 2, MaxNumberOfMessages: 10 }),
    );
    const events = (Messages ?? []).map((m) => JSON.parse(m.Body as string) as Record<string, unknown>);
    expect(events.map((e) => e['detail-type'])).toContain('ECS Container Instance State Change');
  });

  it('answers ground truth in-process and over /_sim/state', async () => {
    const inProcess = sim.groundTruth() as { clusters: { clusterName?: string }[] };
    expect(inProcess.clusters.map((c) => c.clusterName)).toContain('wired');
    const response = await fetch(`${sim.endpoint}/_sim/state`);
    expect(response.status).toBe(200);
    const overHttp = (await response.json()) as { clusters: { clusterName?: string }[]; containerInstances: unknown[] };
    expect(overHttp.clusters.map((c) => c.clusterName)).toContain('wired');
    expect(overHttp.containerInstances).toHaveLength(1);
  });
});

describe('a generated workload', () => {
  it('is set up at start, visible in ground truth, and steppable through the admin API', async () => {
    const withWorkload = await startSimulator({
      port: 0,
      ecs: { seed: 1, transitionDelayMs: 0 },
      workload: { clusters: 2, instancesPerCluster: 1, tasksPerCluster: 3, start: false },
    });
    try {
      const truth = withWorkload.groundTruth() as { clusters: unknown[]; tasks: unknown[] };
      expect(truth.clusters).toHaveLength(2);
      expect(truth.tasks).toHaveLength(6);
      const response = await fetch(`${withWorkload.endpoint}/_sim/workload/step`, {
        method: 'POST',
        body: JSON.stringify({ operations: 4 }),
      });
      expect(response.status).toBe(200);
      const { ApproximateNumberOfMessages } = withWorkload.sqs.getQueueAttributes('ecs-events');
      expect(Number(ApproximateNumberOfMessages)).toBeGreaterThan(0);
    } finally {
      await withWorkload.close();
    }
  });
});
