import {
  CreateClusterCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';
import { type CapturedEvent, type EcsHarness, startEcs } from './ecs-harness';

const taskSample = loadReferenceEvent(FARGATE_TASK_SAMPLE).envelope as unknown as CapturedEvent;
const instanceSample = loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE).envelope as unknown as CapturedEvent;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let h: EcsHarness;

const keys = (value: unknown): string[] => Object.keys(value as object).sort();
const without = (list: string[], ...drop: string[]): string[] => list.filter((k) => !drop.includes(k));

function expectEnvelope(event: CapturedEvent, sample: CapturedEvent, resource: string): void {
  expect(keys(event)).toEqual(keys(sample));
  expect(event).toMatchObject({ version: '0', source: 'aws.ecs', account: sample.account, region: 'us-west-2' });
  expect(event['detail-type']).toBe(sample['detail-type']);
  expect(event.id).toMatch(UUID);
  expect(event.time).toMatch(EVENT_TIME);
  expect(event.resources).toEqual([resource]);
  const updatedAt = Date.parse(String(event.detail.updatedAt));
  expect(Date.parse(event.time)).toBe(Math.floor(updatedAt / 1000) * 1000);
}

beforeAll(async () => {
  // The account of the samples (and the region of the task sample).
  h = await startEcs({ seed: 51, account: '111122223333', region: 'us-west-2' });
  await h.client.send(new CreateClusterCommand({ clusterName: 'FargateCluster' }));
  await h.client.send(
    new CreateClusterCommand({ clusterName: 'default', tags: [{ key: 'ecs-sim:arn-format', value: 'short' }] }),
  );
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'sample-fargate',
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'FargateApp', image: '111122223333.dkr.ecr.us-west-2.amazonaws.com/hello-repository:latest' }],
    }),
  );
});

afterAll(() => h.close());

describe('ECS state-change events', () => {
  it('publishes a Fargate task change shaped like the ECS sample', async () => {
    const run = await h.client.send(
      new RunTaskCommand({
        cluster: 'FargateCluster',
        taskDefinition: 'sample-fargate',
        launchType: 'FARGATE',
        overrides: { containerOverrides: [{ name: 'FargateApp' }] },
      }),
    );
    const arn = run.tasks?.[0]?.taskArn ?? '';
    expect(arn).toMatch(/^arn:aws:ecs:us-west-2:111122223333:task\/FargateCluster\/[0-9a-f]{32}$/);
    const running = h.events.find((e) => e.resources[0] === arn && e.detail.lastStatus === 'RUNNING');
    if (!running) throw new Error('no RUNNING event');
    expectEnvelope(running, taskSample, arn);

    const detail = running.detail;
    const sample = taskSample.detail;
    // Everything the sample carries, and nothing the API's Task does not have besides updatedAt.
    expect(keys(detail)).toEqual(expect.arrayContaining(keys(sample)));
    const described = await h.client.send(new DescribeTasksCommand({ cluster: 'FargateCluster', tasks: [arn] }));
    const task = described.tasks?.[0];
    expect(without(keys(detail), 'updatedAt')).toEqual(keys(task));

    const container = (detail.containers as Record<string, unknown>[])[0];
    const sampleContainer = (sample.containers as Record<string, unknown>[])[0];
    expect(keys(container)).toEqual(expect.arrayContaining(keys(sampleContainer)));
    expect(keys((container?.networkInterfaces as unknown[])[0])).toEqual(
      keys((sampleContainer?.networkInterfaces as unknown[])[0]),
    );
    const attachment = (detail.attachments as Record<string, unknown>[])[0];
    const sampleAttachment = (sample.attachments as Record<string, unknown>[])[0];
    expect(keys(attachment)).toEqual(keys(sampleAttachment));
    expect((attachment?.details as { name: string }[]).map((d) => d.name)).toEqual(
      (sampleAttachment?.details as { name: string }[]).map((d) => d.name),
    );

    expect(detail).toMatchObject({ launchType: 'FARGATE', lastStatus: 'RUNNING', desiredStatus: 'RUNNING', version: 2 });
    expect(detail.overrides).toEqual(sample.overrides);
    for (const member of ['createdAt', 'connectivityAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'updatedAt']) {
      expect(detail[member]).toMatch(ISO);
    }
    // The same instants the API answers in epoch seconds.
    expect(new Date(String(detail.startedAt))).toEqual(task?.startedAt);
    expect(new Date(String(detail.createdAt))).toEqual(task?.createdAt);
  });

  it('publishes a container instance change shaped like the ECS sample', async () => {
    const { containerInstance } = await h.client.send(
      new RegisterContainerInstanceCommand({
        cluster: 'default',
        instanceIdentityDocument: JSON.stringify({ instanceId: 'i-f3a8506b' }),
      }),
    );
    const arn = containerInstance?.containerInstanceArn ?? '';
    expect(arn).toMatch(/^arn:aws:ecs:us-west-2:111122223333:container-instance\/[0-9a-f-]{36}$/);
    const event = h.events.find((e) => e.resources[0] === arn);
    if (!event) throw new Error('no instance event');
    expectEnvelope(event, instanceSample, arn);

    const detail = event.detail;
    const sample = instanceSample.detail;
    expect(keys(detail)).toEqual(expect.arrayContaining(keys(sample)));
    const described = await h.client.send(new DescribeContainerInstancesCommand({ cluster: 'default', containerInstances: [arn] }));
    expect(without(keys(detail), 'updatedAt', 'clusterArn')).toEqual(keys(described.containerInstances?.[0]));
    expect(detail).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/default',
      containerInstanceArn: arn,
      ec2InstanceId: 'i-f3a8506b',
      status: 'ACTIVE',
      agentConnected: true,
      version: 1,
    });
    expect(detail.registeredResources).toEqual(sample.registeredResources);
    expect(keys(detail.versionInfo)).toEqual(keys(sample.versionInfo));
    expect(detail.updatedAt).toMatch(ISO);
  });
});
