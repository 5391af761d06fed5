import {
  CreateClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { WEB_TASK_DEFINITION } from '@ecs-state/test-support';
import { type EcsHarness, manualClock, startEcs } from './ecs-harness';

const RETENTION = 60_000;
const clock = manualClock();
let h: EcsHarness;

beforeAll(async () => {
  h = await startEcs({ seed: 61, clock: clock.now, stoppedTaskRetentionMs: RETENTION });
  await h.client.send(new CreateClusterCommand({ clusterName: 'ret' }));
  await h.client.send(new RegisterTaskDefinitionCommand({ ...WEB_TASK_DEFINITION }));
});

afterAll(() => h.close());

describe('retention of stopped tasks and inactive instances', () => {
  it('keeps a STOPPED task visible for the retention, then forgets it', async () => {
    const run = await h.client.send(new RunTaskCommand({ cluster: 'ret', taskDefinition: 'web', launchType: 'FARGATE' }));
    const arn = run.tasks?.[0]?.taskArn ?? '';
    expect(run.tasks?.[0]?.createdAt).toEqual(new Date(clock.now()));
    clock.advance(5_000);
    const { task } = await h.client.send(new StopTaskCommand({ cluster: 'ret', task: arn }));
    expect(task?.stoppedAt).toEqual(new Date(clock.now()));

    const visible = async () => {
      const described = await h.client.send(new DescribeTasksCommand({ cluster: 'ret', tasks: [arn] }));
      const listed = await h.client.send(new ListTasksCommand({ cluster: 'ret', desiredStatus: 'STOPPED' }));
      return {
        described: described.tasks?.length,
        missing: described.failures?.map((f) => f.reason),
        listed: listed.taskArns,
        truth: h.ecs.groundTruth().tasks.some((t) => t.taskArn === arn),
      };
    };
    clock.advance(RETENTION - 1);
    expect(await visible()).toEqual({ described: 1, missing: [], listed: [arn], truth: true });
    clock.advance(1);
    expect(await visible()).toEqual({ described: 0, missing: ['MISSING'], listed: [], truth: false });
  });

  it('forgets an INACTIVE container instance after the retention', async () => {
    const { containerInstance } = await h.client.send(new RegisterContainerInstanceCommand({ cluster: 'ret' }));
    const arn = containerInstance?.containerInstanceArn ?? '';
    await h.client.send(new DeregisterContainerInstanceCommand({ cluster: 'ret', containerInstance: arn }));
    const described = async () => {
      const out = await h.client.send(new DescribeContainerInstancesCommand({ cluster: 'ret', containerInstances: [arn] }));
      return [out.containerInstances?.map((i) => i.status), out.failures?.map((f) => f.reason)];
    };
    expect((await h.client.send(new ListContainerInstancesCommand({ cluster: 'ret' }))).containerInstanceArns).toEqual([]);
    clock.advance(RETENTION - 1);
    expect(await described()).toEqual([['INACTIVE'], []]);
    clock.advance(1);
    expect(await described()).toEqual([[], ['MISSING']]);
    expect(h.ecs.groundTruth().containerInstances).toEqual([]);
  });
});
