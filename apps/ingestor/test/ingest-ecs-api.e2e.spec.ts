import { INGEST_METRICS } from '@ecs-state/ingestion';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  RegisterContainerInstanceCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { expectStoreToMatchTruth, registerWebTaskDefinition } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import { E2eWorld } from './support/e2e-world';

jest.setTimeout(120_000);

describe('ingestor end to end: ECS API calls become etcd records', () => {
  const world = new E2eWorld(testEtcdEndpoints());
  beforeAll(() => world.start());
  afterAll(() => world.close());

  it('stores tasks started and stopped through the ECS API, EC2 and Fargate, with their final versions', async () => {
    await world.startIngestor();
    const { ecs } = world;
    await ecs.send(new CreateClusterCommand({ clusterName: 'shop' }));
    for (let i = 0; i < 2; i++) {
      await ecs.send(
        new RegisterContainerInstanceCommand({
          cluster: 'shop',
          totalResources: [
            { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
            { name: 'MEMORY', type: 'INTEGER', integerValue: 4096 },
          ],
        }),
      );
    }
    await registerWebTaskDefinition(ecs);
    const ec2 = await ecs.send(new RunTaskCommand({ cluster: 'shop', taskDefinition: 'web', count: 4, startedBy: 'e2e' }));
    const fargate = await ecs.send(new RunTaskCommand({ cluster: 'shop', taskDefinition: 'web', count: 2, launchType: 'FARGATE' }));
    const arns = [...(ec2.tasks ?? []), ...(fargate.tasks ?? [])].map((t) => t.taskArn!);
    expect(arns).toHaveLength(6);
    await ecs.send(new StopTaskCommand({ cluster: 'shop', task: arns[0], reason: 'scale in' }));
    await ecs.send(new StopTaskCommand({ cluster: 'shop', task: arns[5], reason: 'scale in' }));
    // ECS moves tasks through their states asynchronously: compare once it has settled.
    const settled = async () => {
      const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: 'shop', tasks: arns }));
      return tasks.every((t) => t.lastStatus === (t.taskArn === arns[0] || t.taskArn === arns[5] ? 'STOPPED' : 'RUNNING'));
    };
    await eventually('the simulated tasks to settle', settled, { timeoutMs: 45_000 });

    const records = await expectStoreToMatchTruth(world.sim, world.store, 45_000);
    expect(records).toBe(8); // 6 tasks + 2 instances

    const described = await ecs.send(new DescribeTasksCommand({ cluster: 'shop', tasks: [arns[0]!, arns[5]!] }));
    for (const task of described.tasks ?? []) {
      const stored = await world.store.getTask({ taskArn: task.taskArn!, clusterArn: task.clusterArn! });
      expect(stored.item?.record.record.lastStatus).toBe('STOPPED');
      expect(stored.item?.record.record.version).toBe(task.version);
    }
    const fargateStored = await world.store.getTask({ taskArn: arns[4]!, clusterArn: described.tasks![0]!.clusterArn! });
    expect(fargateStored.item?.record.record.launchType).toBe('FARGATE');
    expect(fargateStored.item?.record.record.containerInstanceArn).toBeUndefined();

    const ingestor = world.ingestors[0]!;
    expect(await ingestor.metric(INGEST_METRICS.applied, 'kind="task"')).toBeGreaterThan(0);
    // SQS calls are timed as the ingestor waits for them (on the default SQS thread).
    // A message is deleted after its write: the last delete may still be on its way when the store matches.
    await eventually('a timed DeleteMessageBatch', async () => (await ingestor.metric(`${INGEST_METRICS.sqsLatency}_count`, 'operation="DeleteMessageBatch"')) > 0, { timeoutMs: 30_000 });
    expect(await ingestor.metric(`${INGEST_METRICS.sqsLatency}_count`, 'operation="ReceiveMessage"')).toBeGreaterThan(0);
    // Nothing but JSON logs: no runtime warning (e.g. a listener-leak warning from 16 concurrent long polls).
    expect(ingestor.stderr).toBe('');
  });
});
