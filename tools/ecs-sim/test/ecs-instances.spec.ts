import {
  CreateClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  InvalidParameterException,
  ListContainerInstancesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StartTaskCommand,
  type Resource,
} from '@aws-sdk/client-ecs';
import { type EcsHarness, startEcs } from './ecs-harness';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const PREFIX = 'arn:aws:ecs:us-east-1:123456789012:';

let h: EcsHarness;

function resources(cpu: number, memory: number): Resource[] {
  return [
    { name: 'CPU', type: 'INTEGER', integerValue: cpu },
    { name: 'MEMORY', type: 'INTEGER', integerValue: memory },
    { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22'] },
    { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
  ];
}

function value(list: Resource[] | undefined, name: string): Resource | undefined {
  return list?.find((r) => r.name === name);
}

async function register(cluster: string, cpu = 1024, memory = 2048) {
  const { containerInstance } = await h.client.send(
    new RegisterContainerInstanceCommand({ cluster, totalResources: resources(cpu, memory) }),
  );
  if (!containerInstance?.containerInstanceArn) throw new Error('no instance registered');
  return containerInstance.containerInstanceArn;
}

async function describe1(cluster: string, arn: string) {
  const out = await h.client.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }));
  const instance = out.containerInstances?.[0];
  if (!instance) throw new Error(`instance ${arn} not described`);
  return instance;
}

beforeAll(async () => {
  h = await startEcs({ seed: 21, account: '123456789012' });
  await h.client.send(new CreateClusterCommand({ clusterName: 'new-format' }));
  await h.client.send(
    new CreateClusterCommand({ clusterName: 'old-format', tags: [{ key: 'ecs-sim:arn-format', value: 'short' }] }),
  );
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'web',
      containerDefinitions: [
        { name: 'app', image: 'nginx', cpu: 256, memory: 512, portMappings: [{ containerPort: 80, hostPort: 8080 }] },
      ],
    }),
  );
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'worker',
      containerDefinitions: [{ name: 'app', image: 'busybox', cpu: 300, memoryReservation: 100 }],
    }),
  );
});

afterAll(() => h.close());

describe('ECS container instances', () => {
  it('registers a simulated EC2 instance as ECS describes one', async () => {
    const document = JSON.stringify({ instanceId: 'i-0abc1234def567890', availabilityZone: 'us-east-1b', instanceType: 'm5.large' });
    const { containerInstance } = await h.client.send(
      new RegisterContainerInstanceCommand({
        cluster: 'new-format',
        instanceIdentityDocument: document,
        attributes: [{ name: 'stack', value: 'blue' }],
      }),
    );
    expect(containerInstance?.containerInstanceArn).toMatch(new RegExp(`^${PREFIX}container-instance/new-format/${UUID}$`));
    expect(containerInstance).toMatchObject({
      ec2InstanceId: 'i-0abc1234def567890',
      status: 'ACTIVE',
      agentConnected: true,
      version: 1,
      runningTasksCount: 0,
      pendingTasksCount: 0,
    });
    expect(containerInstance?.registeredAt).toBeInstanceOf(Date);
    expect(containerInstance?.registeredResources?.map((r) => r.name)).toEqual(['CPU', 'MEMORY', 'PORTS', 'PORTS_UDP']);
    expect(containerInstance?.remainingResources).toEqual(containerInstance?.registeredResources);
    expect(containerInstance?.attributes).toEqual(
      expect.arrayContaining([
        { name: 'stack', value: 'blue' },
        { name: 'ecs.availability-zone', value: 'us-east-1b' },
        { name: 'ecs.instance-type', value: 'm5.large' },
      ]),
    );
    const cluster = await h.client.send(new DescribeClustersCommand({ clusters: ['new-format'] }));
    expect(cluster.clusters?.[0]?.registeredContainerInstancesCount).toBe(1);
  });

  it('uses the old ARN format on a cluster tagged for it', async () => {
    const arn = await register('old-format');
    expect(arn).toMatch(new RegExp(`^${PREFIX}container-instance/${UUID}$`));
    const byId = await describe1('old-format', arn.slice(arn.lastIndexOf('/') + 1));
    expect(byId.containerInstanceArn).toBe(arn);
  });

  it('books CPU, memory and host ports of placed tasks and refuses tasks that do not fit', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'placement' }));
    const arn = await register('placement', 600, 1100);
    const placed = await h.client.send(new RunTaskCommand({ cluster: 'placement', taskDefinition: 'web' }));
    expect(placed.failures).toEqual([]);
    expect(placed.tasks?.[0]?.containerInstanceArn).toBe(arn);

    const after = await describe1('placement', arn);
    expect(value(after.remainingResources, 'CPU')?.integerValue).toBe(600 - 256);
    expect(value(after.remainingResources, 'MEMORY')?.integerValue).toBe(1100 - 512);
    expect(value(after.remainingResources, 'PORTS')?.stringSetValue?.sort()).toEqual(['22', '8080']);
    expect(value(after.registeredResources, 'CPU')?.integerValue).toBe(600);
    // With no transition delay the task went PENDING then RUNNING: two instance changes.
    expect(after).toMatchObject({ runningTasksCount: 1, pendingTasksCount: 0, version: 3 });

    const portClash = await h.client.send(new RunTaskCommand({ cluster: 'placement', taskDefinition: 'web' }));
    expect(portClash.tasks).toEqual([]);
    expect(portClash.failures).toEqual([{ arn, reason: 'RESOURCE:PORTS' }]);

    const worker = await h.client.send(new RunTaskCommand({ cluster: 'placement', taskDefinition: 'worker', count: 3 }));
    expect(worker.tasks).toHaveLength(1);
    expect(worker.failures).toEqual([{ arn, reason: 'RESOURCE:CPU' }]);

    const memoryBound = await h.client.send(
      new RunTaskCommand({
        cluster: 'placement',
        taskDefinition: 'worker',
        overrides: { containerOverrides: [{ name: 'app', cpu: 1, memoryReservation: 600 }] },
      }),
    );
    expect(memoryBound.failures).toEqual([{ arn, reason: 'RESOURCE:MEMORY' }]);
    await expect(
      h.client.send(new RunTaskCommand({ cluster: 'placement', taskDefinition: 'worker', count: 11 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('refuses EC2 tasks in a cluster without instances', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'empty' }));
    await expect(h.client.send(new RunTaskCommand({ cluster: 'empty', taskDefinition: 'worker' }))).rejects.toThrow(
      'No Container Instances were found in your cluster.',
    );
  });

  it('starts tasks on named instances and reports missing ones', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'start' }));
    const first = await register('start');
    const second = await register('start');
    const started = await h.client.send(
      new StartTaskCommand({
        cluster: 'start',
        taskDefinition: 'worker',
        containerInstances: [second, 'ffffffff-ffff-4fff-bfff-ffffffffffff'],
        startedBy: 'batch-7',
      }),
    );
    expect(started.tasks?.map((t) => t.containerInstanceArn)).toEqual([second]);
    expect(started.tasks?.[0]).toMatchObject({ startedBy: 'batch-7', group: 'family:worker', launchType: 'EC2' });
    expect(started.failures).toEqual([{ arn: 'ffffffff-ffff-4fff-bfff-ffffffffffff', reason: 'MISSING' }]);
    expect((await describe1('start', first)).runningTasksCount).toBe(0);
    expect((await describe1('start', second)).runningTasksCount).toBe(1);
  });

  it('lists instances by status with pagination', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'listing' }));
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push(await register('listing'));
    await h.client.send(new DeregisterContainerInstanceCommand({ cluster: 'listing', containerInstance: arns[4] }));

    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.client.send(new ListContainerInstancesCommand({ cluster: 'listing', maxResults: 2, nextToken }));
      seen.push(...(page.containerInstanceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(seen).toEqual(arns.slice(0, 4));
    expect((await describe1('listing', arns[4] ?? '')).status).toBe('INACTIVE');
    const draining = await h.client.send(new ListContainerInstancesCommand({ cluster: 'listing', status: 'DRAINING' }));
    expect(draining.containerInstanceArns).toEqual([]);
  });

  it('describes at most 100 instances and reports unknown ones as MISSING', async () => {
    const known = await register('new-format');
    const unknown = `${PREFIX}container-instance/new-format/00000000-0000-4000-8000-000000000000`;
    const out = await h.client.send(
      new DescribeContainerInstancesCommand({ cluster: 'new-format', containerInstances: [known, unknown] }),
    );
    expect(out.containerInstances?.map((i) => i.containerInstanceArn)).toEqual([known]);
    expect(out.failures).toEqual([{ arn: unknown, reason: 'MISSING' }]);
    const tooMany = Array.from({ length: 101 }, () => known);
    await expect(
      h.client.send(new DescribeContainerInstancesCommand({ cluster: 'new-format', containerInstances: tooMany })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      h.client.send(new DescribeContainerInstancesCommand({ cluster: 'new-format', containerInstances: [] })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('deregisters only with force while tasks run, and force stops them', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'drain' }));
    const arn = await register('drain');
    const run = await h.client.send(new RunTaskCommand({ cluster: 'drain', taskDefinition: 'worker', count: 2 }));
    await expect(
      h.client.send(new DeregisterContainerInstanceCommand({ cluster: 'drain', containerInstance: arn })),
    ).rejects.toBeInstanceOf(InvalidParameterException);

    const { containerInstance } = await h.client.send(
      new DeregisterContainerInstanceCommand({ cluster: 'drain', containerInstance: arn, force: true }),
    );
    expect(containerInstance).toMatchObject({ status: 'INACTIVE', agentConnected: false, runningTasksCount: 0 });
    expect(value(containerInstance?.remainingResources, 'CPU')?.integerValue).toBe(1024);
    const tasks = await h.client.send(
      new DescribeTasksCommand({ cluster: 'drain', tasks: (run.tasks ?? []).map((t) => t.taskArn ?? '') }),
    );
    expect(tasks.tasks?.map((t) => [t.lastStatus, t.desiredStatus])).toEqual([
      ['STOPPED', 'STOPPED'],
      ['STOPPED', 'STOPPED'],
    ]);
    const cluster = await h.client.send(new DescribeClustersCommand({ clusters: ['drain'] }));
    expect(cluster.clusters?.[0]).toMatchObject({ registeredContainerInstancesCount: 0, runningTasksCount: 0 });
  });
});
