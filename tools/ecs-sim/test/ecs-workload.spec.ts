import {
  DescribeClustersCommand,
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { eventually } from '@ecs-state/test-support';
import { createWorkload, type WorkloadOptions } from '../src/ecs';
import { type EcsHarness, manualClock, startEcs } from './ecs-harness';

const harnesses: EcsHarness[] = [];

async function started(seed: number): Promise<EcsHarness> {
  const clock = manualClock();
  const h = await startEcs({ seed, clock: clock.now });
  harnesses.push(h);
  return h;
}

afterAll(async () => {
  for (const h of harnesses) await h.close();
});

const shape: Omit<WorkloadOptions, 'seed'> = { clusters: 3, instancesPerCluster: 2, tasksPerCluster: 40 };

async function listAll(h: EcsHarness, cluster: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await h.client.send(new ListTasksCommand({ cluster, desiredStatus, nextToken }));
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

describe('the ECS workload generator', () => {
  it('reproduces the same ground truth from the same seeds', async () => {
    const a = await started(7);
    const b = await started(7);
    const c = await started(7);
    const runs = [
      createWorkload(a.ecs, { ...shape, seed: 99 }),
      createWorkload(b.ecs, { ...shape, seed: 99 }),
      createWorkload(c.ecs, { ...shape, seed: 100 }),
    ];
    for (const run of runs) {
      run.setup();
      run.step(300);
    }
    const truthA = a.ecs.groundTruth();
    expect(truthA.tasks.length).toBeGreaterThan(120);
    expect(truthA.tasks.some((t) => t.lastStatus === 'STOPPED')).toBe(true);
    expect(b.ecs.groundTruth()).toEqual(truthA);
    expect(c.ecs.groundTruth()).not.toEqual(truthA);
  });

  it('builds clusters of both ARN formats whose API view matches the ground truth', async () => {
    const h = await started(8);
    const workload = createWorkload(h.ecs, { ...shape, seed: 5, shortArnShare: 0.5, fargateShare: 0.25 });
    workload.setup();
    workload.step(100);
    const truth = h.ecs.groundTruth();
    const [longCluster, shortCluster] = workload.clusterNames;
    const longTasks = await listAll(h, longCluster ?? '', 'RUNNING');
    const shortTasks = await listAll(h, shortCluster ?? '', 'RUNNING');
    expect(longTasks.every((arn) => arn.includes(`:task/${longCluster}/`))).toBe(true);
    expect(shortTasks.every((arn) => /:task\/[0-9a-f]{32}$/.test(arn))).toBe(true);

    for (const cluster of workload.clusterNames) {
      const running = await listAll(h, cluster, 'RUNNING');
      const stopped = await listAll(h, cluster, 'STOPPED');
      const inTruth = truth.tasks.filter((t) => t.clusterArn?.endsWith(`:cluster/${cluster}`));
      expect([...running, ...stopped].sort()).toEqual(inTruth.map((t) => t.taskArn).sort());
      for (let i = 0; i < running.length; i += 100) {
        const described = await h.client.send(
          new DescribeTasksCommand({ cluster, tasks: running.slice(i, i + 100), include: ['TAGS'] }),
        );
        for (const task of described.tasks ?? []) expect(truth.tasks).toContainEqual(task);
      }
      const { clusters } = await h.client.send(new DescribeClustersCommand({ clusters: [cluster] }));
      expect(clusters?.[0]?.runningTasksCount).toBe(inTruth.filter((t) => t.lastStatus === 'RUNNING').length);
      const instances = await h.client.send(new ListContainerInstancesCommand({ cluster }));
      const described = await h.client.send(
        new DescribeContainerInstancesCommand({ cluster, containerInstances: instances.containerInstanceArns, include: ['TAGS'] }),
      );
      for (const instance of described.containerInstances ?? []) {
        const expected = truth.containerInstances.find((i) => i.containerInstanceArn === instance.containerInstanceArn);
        expect({ ...instance, clusterArn: expected?.clusterArn }).toEqual(expected);
      }
    }
    expect(truth.tasks.some((t) => t.launchType === 'FARGATE' && t.containerInstanceArn === undefined)).toBe(true);
  });

  it('populates many running tasks in bulk, booking instance resources', async () => {
    const h = await started(9);
    const workload = createWorkload(h.ecs, {
      seed: 1,
      clusters: 2,
      instancesPerCluster: 4,
      tasksPerCluster: 3000,
      fargateShare: 0.1,
      taskCpu: 10,
      taskMemory: 20,
    });
    workload.setup();
    expect(h.events).toEqual([]);
    const truth = h.ecs.groundTruth();
    expect(truth.tasks).toHaveLength(6000);
    expect(truth.tasks.every((t) => t.lastStatus === 'RUNNING' && t.version === 2)).toBe(true);
    for (const cluster of workload.clusterNames) {
      const { clusters } = await h.client.send(new DescribeClustersCommand({ clusters: [cluster] }));
      expect(clusters?.[0]).toMatchObject({ runningTasksCount: 3000, pendingTasksCount: 0, registeredContainerInstancesCount: 4 });
      expect(await listAll(h, cluster, 'RUNNING')).toHaveLength(3000);
    }
    for (const instance of truth.containerInstances) {
      const cpu = (list: typeof instance.registeredResources) => list?.find((r) => r.name === 'CPU')?.integerValue ?? 0;
      expect(cpu(instance.registeredResources) - cpu(instance.remainingResources)).toBe((instance.runningTasksCount ?? 0) * 10);
    }
    const ec2 = truth.tasks.filter((t) => t.launchType === 'EC2').length;
    expect(ec2).toBe(2 * 2700);
  });

  it('publishes events for bulk population when asked', async () => {
    const h = await started(10);
    createWorkload(h.ecs, { seed: 2, clusters: 1, instancesPerCluster: 2, tasksPerCluster: 10, fargateShare: 0, publishPopulation: true }).setup();
    const kinds = h.events.map((e) => [e['detail-type'], e.detail.version]);
    // Two registrations, ten RUNNING tasks, then one change per instance that received tasks.
    expect(kinds.filter(([kind]) => kind === 'ECS Task State Change')).toEqual(Array(10).fill(['ECS Task State Change', 2]));
    expect(kinds.filter(([kind]) => kind === 'ECS Container Instance State Change')).toEqual([
      ['ECS Container Instance State Change', 1],
      ['ECS Container Instance State Change', 1],
      ['ECS Container Instance State Change', 2],
      ['ECS Container Instance State Change', 2],
    ]);
  });

  it('churns tasks while started and stands still once stopped', async () => {
    const h = await startEcs({ seed: 11 });
    harnesses.push(h);
    const workload = createWorkload(h.ecs, { seed: 3, clusters: 1, instancesPerCluster: 1, ratePerSecond: 400, tickMs: 10 });
    workload.setup();
    workload.start();
    try {
      await eventually('20 task state changes', () => h.events.filter((e) => e['detail-type'] === 'ECS Task State Change').length >= 20, {
        timeoutMs: 30_000,
        intervalMs: 10,
      });
    } finally {
      workload.stop();
    }
    const settled = h.events.length;
    await new Promise((resolve) => setTimeout(resolve, 150));
    // Only transitions already under way may still land, never new starts.
    const late = h.events.slice(settled).filter((e) => e.detail.version === 1);
    expect(late).toEqual([]);
  });
});
