import {
  ClusterNotFoundException,
  ClientException,
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListTasksCommand,
  type ListTasksCommandInput,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { type EcsHarness, startEcs } from './ecs-harness';

const PREFIX = 'arn:aws:ecs:us-east-1:123456789012:';
let h: EcsHarness;

async function listAll(input: ListTasksCommandInput): Promise<{ arns: string[]; pages: number[] }> {
  const arns: string[] = [];
  const pages: number[] = [];
  let nextToken: string | undefined;
  do {
    const page = await h.client.send(new ListTasksCommand({ ...input, nextToken }));
    arns.push(...(page.taskArns ?? []));
    pages.push(page.taskArns?.length ?? 0);
    nextToken = page.nextToken;
  } while (nextToken);
  return { arns, pages };
}

async function run(input: ConstructorParameters<typeof RunTaskCommand>[0]): Promise<Task[]> {
  const out = await h.client.send(new RunTaskCommand(input));
  expect(out.failures).toEqual([]);
  return out.tasks ?? [];
}

beforeAll(async () => {
  h = await startEcs({ seed: 31 });
  await h.client.send(new CreateClusterCommand({ clusterName: 'apps' }));
  await h.client.send(
    new CreateClusterCommand({ clusterName: 'legacy', tags: [{ key: 'ecs-sim:arn-format', value: 'short' }] }),
  );
  for (const cluster of ['apps', 'legacy']) {
    for (let i = 0; i < 2; i++) {
      await h.client.send(
        new RegisterContainerInstanceCommand({
          cluster,
          totalResources: [
            { name: 'CPU', type: 'INTEGER', integerValue: 8192 },
            { name: 'MEMORY', type: 'INTEGER', integerValue: 16384 },
          ],
        }),
      );
    }
  }
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'api',
      containerDefinitions: [
        { name: 'api', image: 'example/api:1', cpu: 128, memory: 256 },
        { name: 'sidecar', image: 'example/envoy:1', cpu: 64, memoryReservation: 64 },
      ],
    }),
  );
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'job',
      networkMode: 'awsvpc',
      cpu: '0.25 vCPU',
      memory: '0.5GB',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'job', image: 'example/job:1' }],
    }),
  );
});

afterAll(() => h.close());

describe('ECS tasks', () => {
  it('runs EC2 tasks with both ARN formats and the defaults ECS fills in', async () => {
    const [long] = await run({ cluster: 'apps', taskDefinition: 'api', startedBy: 'deploy-1', tags: [{ key: 'a', value: 'b' }] });
    const [short] = await run({ cluster: 'legacy', taskDefinition: 'api:1' });
    expect(long?.taskArn).toMatch(new RegExp(`^${PREFIX}task/apps/[0-9a-f]{32}$`));
    expect(short?.taskArn).toMatch(new RegExp(`^${PREFIX}task/[0-9a-f]{32}$`));
    expect(long).toMatchObject({
      clusterArn: `${PREFIX}cluster/apps`,
      taskDefinitionArn: `${PREFIX}task-definition/api:1`,
      group: 'family:api',
      startedBy: 'deploy-1',
      launchType: 'EC2',
      tags: [{ key: 'a', value: 'b' }],
    });
    expect(long?.containerInstanceArn).toMatch(new RegExp(`^${PREFIX}container-instance/apps/`));
    expect(short?.containerInstanceArn).toMatch(new RegExp(`^${PREFIX}container-instance/[0-9a-f-]{36}$`));
    expect(long?.containers?.map((c) => [c.name, c.cpu, c.memory, c.memoryReservation])).toEqual([
      ['api', '128', '256', undefined],
      ['sidecar', '64', undefined, '64'],
    ]);
    expect(long?.createdAt).toBeInstanceOf(Date);
  });

  it('runs Fargate tasks without a container instance', async () => {
    const tasks = await run({
      cluster: 'apps',
      taskDefinition: 'job',
      launchType: 'FARGATE',
      count: 2,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-12345678'] } },
    });
    expect(tasks).toHaveLength(2);
    for (const task of tasks) {
      expect(task.containerInstanceArn).toBeUndefined();
      expect(task).toMatchObject({ launchType: 'FARGATE', cpu: '256', memory: '512', platformVersion: '1.4.0' });
      expect(task.attachments?.[0]).toMatchObject({ type: 'eni', status: 'ATTACHED' });
      expect(task.attachments?.[0]?.details).toEqual(
        expect.arrayContaining([{ name: 'subnetId', value: 'subnet-12345678' }]),
      );
      expect(task.containers?.[0]?.networkInterfaces?.[0]?.privateIpv4Address).toMatch(/^10\.0\.\d+\.\d+$/);
    }
    await expect(
      h.client.send(new RunTaskCommand({ cluster: 'apps', taskDefinition: 'api', launchType: 'FARGATE' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('rejects unknown clusters and task definitions', async () => {
    await expect(h.client.send(new RunTaskCommand({ cluster: 'nope', taskDefinition: 'api' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
    await expect(h.client.send(new RunTaskCommand({ cluster: 'apps', taskDefinition: 'api:9' }))).rejects.toBeInstanceOf(
      ClientException,
    );
  });

  it('describes task definitions by family, revision or ARN', async () => {
    const { taskDefinition } = await h.client.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: `${PREFIX}task-definition/job:1` }),
    );
    expect(taskDefinition).toMatchObject({
      family: 'job',
      revision: 1,
      status: 'ACTIVE',
      cpu: '256',
      memory: '512',
      networkMode: 'awsvpc',
      compatibilities: ['EC2', 'FARGATE'],
    });
    const second = await h.client.send(
      new RegisterTaskDefinitionCommand({ family: 'job', containerDefinitions: [{ name: 'job', image: 'x', memory: 8 }] }),
    );
    expect(second.taskDefinition?.revision).toBe(2);
    const latest = await h.client.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'job' }));
    expect(latest.taskDefinition?.taskDefinitionArn).toBe(`${PREFIX}task-definition/job:2`);
    await expect(
      h.client.send(new RegisterTaskDefinitionCommand({ family: 'bad', containerDefinitions: [{ name: 'x', image: 'y' }] })),
    ).rejects.toBeInstanceOf(ClientException);
  });

  it('stops a task with a reason, a stop code and stop timestamps', async () => {
    const [task] = await run({ cluster: 'apps', taskDefinition: 'api' });
    const { task: stopped } = await h.client.send(
      new StopTaskCommand({ cluster: 'apps', task: task?.taskArn, reason: 'rolling back' }),
    );
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      lastStatus: 'STOPPED',
      stoppedReason: 'rolling back',
      stopCode: 'UserInitiated',
      version: 4,
    });
    expect(stopped?.stoppingAt).toBeInstanceOf(Date);
    expect(stopped?.stoppedAt).toBeInstanceOf(Date);
    expect(stopped?.executionStoppedAt).toBeInstanceOf(Date);
    expect(stopped?.containers?.map((c) => [c.lastStatus, c.exitCode])).toEqual([
      ['STOPPED', 0],
      ['STOPPED', 0],
    ]);
    const again = await h.client.send(new StopTaskCommand({ cluster: 'apps', task: task?.taskArn }));
    expect(again.task?.version).toBe(4);
    await expect(
      h.client.send(new StopTaskCommand({ cluster: 'legacy', task: task?.taskArn })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('filters ListTasks by every supported member', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'filters' }));
    const { containerInstance } = await h.client.send(new RegisterContainerInstanceCommand({ cluster: 'filters' }));
    const instance = containerInstance?.containerInstanceArn ?? '';
    const ec2 = await run({ cluster: 'filters', taskDefinition: 'api', startedBy: 'ci', count: 2 });
    const service = await run({ cluster: 'filters', taskDefinition: 'api', group: 'service:web' });
    const fargate = await run({ cluster: 'filters', taskDefinition: 'job:1', launchType: 'FARGATE', startedBy: 'ci' });
    await h.client.send(new StopTaskCommand({ cluster: 'filters', task: ec2[1]?.taskArn }));
    const arns = (tasks: Task[]) => tasks.map((t) => t.taskArn ?? '');
    const list = async (input: ListTasksCommandInput) => (await listAll({ cluster: 'filters', ...input })).arns.sort();

    expect(await list({})).toEqual(arns([ec2[0] as Task, ...service, ...fargate]).sort());
    expect(await list({ desiredStatus: 'STOPPED' })).toEqual(arns([ec2[1] as Task]));
    expect(await list({ startedBy: 'ci' })).toEqual(arns([ec2[0] as Task, ...fargate]).sort());
    expect(await list({ serviceName: 'web' })).toEqual(arns(service));
    expect(await list({ family: 'job' })).toEqual(arns(fargate));
    expect(await list({ launchType: 'FARGATE' })).toEqual(arns(fargate));
    expect(await list({ containerInstance: instance })).toEqual(arns([ec2[0] as Task, ...service]).sort());
    expect(await list({ containerInstance: instance, family: 'api', startedBy: 'ci' })).toEqual(arns([ec2[0] as Task]));
    expect(await list({ desiredStatus: 'PENDING' })).toEqual([]);
  });

  it('pages 250 tasks with nextToken, 100 per page by default', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'many' }));
    const created: string[] = [];
    for (let i = 0; i < 25; i++) {
      const tasks = await run({ cluster: 'many', taskDefinition: 'job:1', launchType: 'FARGATE', count: 10 });
      created.push(...tasks.map((t) => t.taskArn ?? ''));
    }
    const byDefault = await listAll({ cluster: 'many' });
    expect(byDefault.pages).toEqual([100, 100, 50]);
    expect(byDefault.arns).toEqual(created);
    const small = await listAll({ cluster: 'many', maxResults: 30 });
    expect(small.pages).toEqual([30, 30, 30, 30, 30, 30, 30, 30, 10]);
    expect(new Set(small.arns).size).toBe(250);
    await expect(h.client.send(new ListTasksCommand({ cluster: 'many', maxResults: 0 }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    const cluster = await h.client.send(new DescribeClustersCommand({ clusters: ['many'] }));
    expect(cluster.clusters?.[0]).toMatchObject({ runningTasksCount: 250, pendingTasksCount: 0 });

    const described = await h.client.send(
      new DescribeTasksCommand({ cluster: 'many', tasks: created.slice(0, 100), include: ['TAGS'] }),
    );
    expect(described.tasks?.map((t) => t.taskArn)).toEqual(created.slice(0, 100));
    const truth = new Map(h.ecs.groundTruth().tasks.map((t) => [t.taskArn, t]));
    for (const task of described.tasks ?? []) expect(task).toEqual(truth.get(task.taskArn));
  });

  it('describes at most 100 tasks, by ID or ARN, with unknown ones as MISSING', async () => {
    const [task] = await run({ cluster: 'legacy', taskDefinition: 'api' });
    const arn = task?.taskArn ?? '';
    const id = arn.slice(arn.lastIndexOf('/') + 1);
    const missingId = '0'.repeat(32);
    const out = await h.client.send(new DescribeTasksCommand({ cluster: 'legacy', tasks: [id, missingId, arn] }));
    expect(out.tasks?.map((t) => t.taskArn)).toEqual([arn, arn]);
    expect(out.failures).toEqual([{ arn: `${PREFIX}task/${missingId}`, reason: 'MISSING' }]);
    const elsewhere = await h.client.send(new DescribeTasksCommand({ cluster: 'apps', tasks: [arn] }));
    expect(elsewhere.failures).toEqual([{ arn, reason: 'MISSING' }]);
    await expect(
      h.client.send(new DescribeTasksCommand({ cluster: 'legacy', tasks: Array.from({ length: 101 }, () => arn) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(h.client.send(new DescribeTasksCommand({ cluster: 'legacy', tasks: [] }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });
});
