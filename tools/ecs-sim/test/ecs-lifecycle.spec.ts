import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { eventually } from '@ecs-state/test-support';
import { type EcsHarness, startEcs } from './ecs-harness';

let h: EcsHarness;
let instanceArn: string;

async function describeTask(arn: string): Promise<Task> {
  const out = await h.client.send(new DescribeTasksCommand({ cluster: 'life', tasks: [arn] }));
  const task = out.tasks?.[0];
  if (!task) throw new Error(`task ${arn} not described`);
  return task;
}

async function describeInstance() {
  const out = await h.client.send(new DescribeContainerInstancesCommand({ cluster: 'life', containerInstances: [instanceArn] }));
  const instance = out.containerInstances?.[0];
  if (!instance) throw new Error('instance not described');
  return instance;
}

async function clusterCounts() {
  const out = await h.client.send(new DescribeClustersCommand({ clusters: ['life'] }));
  return { pending: out.clusters?.[0]?.pendingTasksCount, running: out.clusters?.[0]?.runningTasksCount };
}

const untilStatus = (arn: string, status: string) =>
  eventually(`task ${arn} ${status}`, async () => {
    const task = await describeTask(arn);
    return task.lastStatus === status ? task : undefined;
  }, { timeoutMs: 30_000, intervalMs: 10 });

function eventsFor(arn: string) {
  return h.events.filter((e) => e.resources[0] === arn);
}

function cpuLeft(resources: { name?: string; integerValue?: number }[] | undefined): number | undefined {
  return resources?.find((r) => r.name === 'CPU')?.integerValue;
}

beforeAll(async () => {
  h = await startEcs({ seed: 41, transitionDelayMs: 40 });
  await h.client.send(new CreateClusterCommand({ clusterName: 'life' }));
  const { containerInstance } = await h.client.send(new RegisterContainerInstanceCommand({ cluster: 'life' }));
  instanceArn = containerInstance?.containerInstanceArn ?? '';
  await h.client.send(
    new RegisterTaskDefinitionCommand({
      family: 'svc',
      containerDefinitions: [{ name: 'main', image: 'example/svc', cpu: 512, memory: 512 }],
    }),
  );
});

afterAll(() => h.close());

describe('ECS task lifecycle', () => {
  it('goes PENDING -> RUNNING -> STOPPED, one version and one event per change', async () => {
    const run = await h.client.send(new RunTaskCommand({ cluster: 'life', taskDefinition: 'svc' }));
    const pending = run.tasks?.[0] as Task;
    const arn = pending.taskArn ?? '';
    expect(pending).toMatchObject({ lastStatus: 'PENDING', desiredStatus: 'RUNNING', version: 1 });
    expect(pending.startedAt).toBeUndefined();
    expect(pending.containers?.[0]?.lastStatus).toBe('PENDING');

    // Between transitions the state is read only where no timer can change it.
    const running = await untilStatus(arn, 'RUNNING');
    expect(running.version).toBe(2);
    expect(running.startedAt).toBeInstanceOf(Date);
    expect(running.pullStartedAt).toBeInstanceOf(Date);
    expect(running.pullStoppedAt).toBeInstanceOf(Date);
    expect(running.containers?.[0]).toMatchObject({ lastStatus: 'RUNNING' });
    expect(running.containers?.[0]?.runtimeId).toMatch(/^[0-9a-f]{64}$/);
    expect(await clusterCounts()).toEqual({ pending: 0, running: 1 });
    const busy = await describeInstance();
    expect(busy).toMatchObject({ pendingTasksCount: 0, runningTasksCount: 1, version: 3 });
    expect(cpuLeft(busy.remainingResources)).toBe(2048 - 512);

    const stop = await h.client.send(new StopTaskCommand({ cluster: 'life', task: arn }));
    expect(stop.task).toMatchObject({ lastStatus: 'RUNNING', desiredStatus: 'STOPPED', version: 3 });
    expect(stop.task?.stoppingAt).toBeInstanceOf(Date);
    expect(stop.task?.stoppedAt).toBeUndefined();

    const stopped = await untilStatus(arn, 'STOPPED');
    expect(stopped).toMatchObject({ version: 4, stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' });
    expect(stopped.containers?.[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 0 });
    expect(await clusterCounts()).toEqual({ pending: 0, running: 0 });
    const released = await describeInstance();
    expect(released).toMatchObject({ pendingTasksCount: 0, runningTasksCount: 0, version: 4 });
    expect(cpuLeft(released.remainingResources)).toBe(2048);

    const taskEvents = eventsFor(arn);
    expect(taskEvents.map((e) => [e.detail.version, e.detail.lastStatus, e.detail.desiredStatus])).toEqual([
      [1, 'PENDING', 'RUNNING'],
      [2, 'RUNNING', 'RUNNING'],
      [3, 'RUNNING', 'STOPPED'],
      [4, 'STOPPED', 'STOPPED'],
    ]);
    expect(taskEvents.every((e) => e['detail-type'] === 'ECS Task State Change')).toBe(true);
    const last = taskEvents[3]?.detail;
    expect(new Date(String(last?.stoppedAt))).toEqual(stopped.stoppedAt);
    expect(new Date(String(last?.startedAt))).toEqual(stopped.startedAt);

    const instanceEvents = eventsFor(instanceArn);
    expect(instanceEvents.map((e) => [e.detail.version, e.detail.pendingTasksCount, e.detail.runningTasksCount])).toEqual([
      [1, 0, 0],
      [2, 1, 0],
      [3, 0, 1],
      [4, 0, 0],
    ]);
  });

  it('leaves pending transitions undone after close', async () => {
    // Called in-process so that no timer can fire between the launch and close().
    const run = (await h.ecs.handle('RunTask', { cluster: 'life', taskDefinition: 'svc' })) as { tasks: Task[] };
    h.ecs.close();
    const arn = run.tasks[0]?.taskArn;
    const published = h.events.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(h.events).toHaveLength(published);
    expect(h.ecs.groundTruth().tasks.find((t) => t.taskArn === arn)).toMatchObject({ lastStatus: 'PENDING', version: 1 });
  });
});

describe('ECS tasks held in PENDING', () => {
  let held: EcsHarness;
  let heldInstance: string;

  beforeAll(async () => {
    // Tasks never start on their own here, while stops complete at once.
    held = await startEcs({ seed: 42, transitionDelayMs: 600_000, stopDelayMs: 0 });
    await held.client.send(new CreateClusterCommand({ clusterName: 'held' }));
    const { containerInstance } = await held.client.send(new RegisterContainerInstanceCommand({ cluster: 'held' }));
    heldInstance = containerInstance?.containerInstanceArn ?? '';
    await held.client.send(
      new RegisterTaskDefinitionCommand({ family: 'svc', containerDefinitions: [{ name: 'main', image: 'x', cpu: 512, memory: 512 }] }),
    );
  });

  afterAll(() => held.close());

  it('counts a PENDING task on its instance and cluster, and stops it without exit code or start time', async () => {
    const run = await held.client.send(new RunTaskCommand({ cluster: 'held', taskDefinition: 'svc' }));
    const arn = run.tasks?.[0]?.taskArn ?? '';
    const cluster = await held.client.send(new DescribeClustersCommand({ clusters: ['held'] }));
    expect(cluster.clusters?.[0]).toMatchObject({ pendingTasksCount: 1, runningTasksCount: 0 });
    const instance = await held.client.send(
      new DescribeContainerInstancesCommand({ cluster: 'held', containerInstances: [heldInstance] }),
    );
    expect(instance.containerInstances?.[0]).toMatchObject({ pendingTasksCount: 1, runningTasksCount: 0, version: 2 });
    expect(cpuLeft(instance.containerInstances?.[0]?.remainingResources)).toBe(2048 - 512);

    const { task: stopped } = await held.client.send(new StopTaskCommand({ cluster: 'held', task: arn, reason: 'cancelled' }));
    expect(stopped).toMatchObject({ lastStatus: 'STOPPED', version: 3, stoppedReason: 'cancelled', stopCode: 'UserInitiated' });
    expect(stopped?.startedAt).toBeUndefined();
    expect(stopped?.containers?.[0]?.exitCode).toBeUndefined();
    const changes = () =>
      held.events.filter((e) => e.resources[0] === arn).map((e) => [e.detail.version, e.detail.lastStatus, e.detail.desiredStatus]);
    expect(changes()).toEqual([
      [1, 'PENDING', 'RUNNING'],
      [2, 'PENDING', 'STOPPED'],
      [3, 'STOPPED', 'STOPPED'],
    ]);
    // Stopping again changes nothing.
    await held.client.send(new StopTaskCommand({ cluster: 'held', task: arn }));
    expect(changes()).toHaveLength(3);
    const after = await held.client.send(new DescribeClustersCommand({ clusters: ['held'] }));
    expect(after.clusters?.[0]).toMatchObject({ pendingTasksCount: 0, runningTasksCount: 0 });
  });
});
