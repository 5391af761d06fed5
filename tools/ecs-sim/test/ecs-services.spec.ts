import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServicesCommand,
  ListTasksCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  type Service,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { eventually } from '@ecs-state/test-support';
import { DEPLOYMENT_STATE_CHANGE, FAILING_HEALTH_CHECK, SERVICE_ACTION } from '../src';
import { type CapturedEvent, type EcsHarness, startEcs } from './ecs-harness';

const CLUSTER = 'svc';
const IMAGE = 'public.ecr.aws/docker/library/nginx:latest';
const GOOD = { name: 'app', image: IMAGE, cpu: 128, memory: 256 };
const FAILING = { ...GOOD, healthCheck: FAILING_HEALTH_CHECK };

let h: EcsHarness;

async function describe1(name: string, cluster = CLUSTER): Promise<Service> {
  const { services } = await h.client.send(new DescribeServicesCommand({ cluster, services: [name] }));
  const service = services?.[0];
  if (!service) throw new Error(`service ${name} not described`);
  return service;
}

/** Service and deployment events of one service, as [detail-type, eventName, deploymentId?] in publication order. */
function serviceEvents(arn: string | undefined): CapturedEvent[] {
  return h.events.filter((e) => e.resources[0] === arn && (e['detail-type'] === SERVICE_ACTION || e['detail-type'] === DEPLOYMENT_STATE_CHANGE));
}

const names = (events: CapturedEvent[]): unknown[] => events.map((e) => e.detail.eventName);

async function register(family: string, container: Record<string, unknown>): Promise<string> {
  const { taskDefinition } = await h.client.send(
    new RegisterTaskDefinitionCommand({ family, containerDefinitions: [container as never] }),
  );
  return taskDefinition?.taskDefinitionArn ?? '';
}

beforeAll(async () => {
  // Manual scheduler passes and instant transitions: every step below is deterministic.
  h = await startEcs({ seed: 7, serviceTickMs: 0, transitionDelayMs: 0 });
  await h.client.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  for (let i = 0; i < 3; i++) {
    await h.client.send(
      new RegisterContainerInstanceCommand({
        cluster: CLUSTER,
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 8192 },
        ],
      }),
    );
  }
  await register('web', GOOD); // web:1
  await register('web', { ...GOOD, image: `${IMAGE}-v2` }); // web:2
  await register('web', FAILING); // web:3
});

afterAll(() => h.close());

describe('CreateService, ListServices, DescribeServices', () => {
  it('creates a service whose first deployment starts its tasks in group service:<name>, started by the deployment', async () => {
    const { service } = await h.client.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'api', taskDefinition: 'web:1', desiredCount: 2, tags: [{ key: 'team', value: 'a' }] }),
    );
    expect(service).toMatchObject({
      serviceArn: `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/api`,
      serviceName: 'api',
      clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/${CLUSTER}`,
      status: 'ACTIVE',
      desiredCount: 2,
      runningCount: 0,
      pendingCount: 0,
      launchType: 'EC2',
      taskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:1',
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } },
      schedulingStrategy: 'REPLICA',
    });
    const first = service?.deployments?.[0];
    expect(service?.deployments).toHaveLength(1);
    expect(first?.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(first).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', rolloutStateReason: `ECS deployment ${first?.id} in progress.`, desiredCount: 2, runningCount: 0 });

    h.ecs.tickServices();
    const described = await describe1('api');
    expect(described).toMatchObject({ runningCount: 2, pendingCount: 0 });
    expect(described.deployments).toEqual([
      expect.objectContaining({ id: first?.id, status: 'PRIMARY', rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${first?.id} completed.`, runningCount: 2 }),
    ]);
    expect(described.events?.[0]?.message).toBe('(service api) has reached a steady state.');
    const { taskArns } = await h.client.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'api' }));
    expect(taskArns).toHaveLength(2);
    const { tasks } = await h.client.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns ?? [] }));
    for (const task of tasks ?? []) expect(task).toMatchObject({ group: 'service:api', startedBy: first?.id, lastStatus: 'RUNNING' });
    const { clusters } = await h.client.send(new DescribeClustersCommand({ clusters: [CLUSTER] }));
    expect(clusters?.[0]?.activeServicesCount).toBe(1);
  });

  it('refuses a second ACTIVE service of the same name and an unknown task definition', async () => {
    await expect(
      h.client.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'api', taskDefinition: 'web:1', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(
      h.client.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'x', taskDefinition: 'nope', desiredCount: 1 })),
    ).rejects.toMatchObject({ name: 'ClientException' });
  });

  it('pages ListServices by 10 unless maxResults (1-100) says otherwise, and filters by launch type', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'many' }));
    const created: string[] = [];
    for (let i = 0; i < 23; i++) {
      const { service } = await h.client.send(
        new CreateServiceCommand({ cluster: 'many', serviceName: `s${i}`, taskDefinition: 'web:1', desiredCount: 0 }),
      );
      created.push(service?.serviceArn ?? '');
    }
    const pages: string[][] = [];
    let nextToken: string | undefined;
    do {
      const page = await h.client.send(new ListServicesCommand({ cluster: 'many', nextToken }));
      pages.push(page.serviceArns ?? []);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages.flat()).toEqual(created);
    const all = await h.client.send(new ListServicesCommand({ cluster: 'many', maxResults: 100 }));
    expect(all.serviceArns).toEqual(created);
    expect(all.nextToken).toBeUndefined();
    await expect(h.client.send(new ListServicesCommand({ cluster: 'many', maxResults: 101 }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    expect((await h.client.send(new ListServicesCommand({ cluster: 'many', launchType: 'FARGATE' }))).serviceArns).toEqual([]);
    expect((await h.client.send(new ListServicesCommand({ cluster: 'many', launchType: 'EC2', maxResults: 100 }))).serviceArns).toEqual(created);
  });

  it('describes at most 10 services a call and answers unknown ones as MISSING failures', async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `s${i}`);
    await expect(h.client.send(new DescribeServicesCommand({ cluster: 'many', services: eleven }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    const ten = await h.client.send(new DescribeServicesCommand({ cluster: 'many', services: [...eleven.slice(0, 9), 'ghost'] }));
    expect(ten.services?.map((s) => s.serviceName)).toEqual(eleven.slice(0, 9));
    expect(ten.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:123456789012:service/many/ghost', reason: 'MISSING' }]);
    const byArn = await h.client.send(
      new DescribeServicesCommand({ cluster: 'many', services: ['arn:aws:ecs:us-east-1:123456789012:service/many/s3'] }),
    );
    expect(byArn.services?.[0]?.serviceName).toBe('s3');
    await expect(h.client.send(new DescribeServicesCommand({ cluster: 'nowhere', services: ['s1'] }))).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
    });
  });
});

describe('rolling deployments', () => {
  it('rolls out a new task definition within minimum healthy and maximum percent, counts moving pass by pass', async () => {
    await h.client.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'roll',
        taskDefinition: 'web:1',
        desiredCount: 4,
        deploymentConfiguration: { minimumHealthyPercent: 50, maximumPercent: 100 },
      }),
    );
    h.ecs.tickServices();
    const before = await describe1('roll');
    const oldId = before.deployments?.[0]?.id;
    const { service } = await h.client.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'roll', taskDefinition: 'web:2' }));
    const newId = service?.deployments?.[0]?.id;
    expect(service?.deployments?.map((d) => [d.id, d.status, d.rolloutState])).toEqual([
      [newId, 'PRIMARY', 'IN_PROGRESS'],
      [oldId, 'ACTIVE', 'COMPLETED'],
    ]);
    expect(service?.taskDefinition).toMatch(/task-definition\/web:2$/);

    const counts = async (): Promise<unknown[]> =>
      ((await describe1('roll')).deployments ?? []).map((d) => [d.status, d.desiredCount, d.runningCount]);
    // At most 4 tasks at once (100 %) and at least 2 healthy (50 %): old ones stop first, then new ones start.
    h.ecs.tickServices();
    expect(await counts()).toEqual([['PRIMARY', 4, 0], ['ACTIVE', 2, 2]]);
    h.ecs.tickServices();
    expect(await counts()).toEqual([['PRIMARY', 4, 2], ['ACTIVE', 0, 0]]);
    h.ecs.tickServices();
    expect(await counts()).toEqual([['PRIMARY', 4, 4]]);
    const done = await describe1('roll');
    expect(done.deployments?.[0]).toMatchObject({ id: newId, rolloutState: 'COMPLETED', rolloutStateReason: `ECS deployment ${newId} completed.` });

    const { taskArns } = await h.client.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'roll', desiredStatus: 'STOPPED' }));
    const { tasks } = await h.client.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns ?? [] }));
    expect(tasks).toHaveLength(4);
    for (const task of tasks ?? []) {
      expect(task).toMatchObject({ startedBy: oldId, stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${oldId})` });
    }
    expect(names(serviceEvents(service?.serviceArn))).toEqual([
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
      'SERVICE_STEADY_STATE',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_COMPLETED',
      'SERVICE_STEADY_STATE',
    ]);
  });

  it('fails a deployment whose tasks fail their health checks and rolls back to the last completed one', async () => {
    const { service: created } = await h.client.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'breaker',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      }),
    );
    h.ecs.tickServices();
    const goodId = (await describe1('breaker')).deployments?.[0]?.id;
    const { service } = await h.client.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'breaker', taskDefinition: 'web:3' }));
    const badId = service?.deployments?.[0]?.id;

    // The failing tasks start beside the healthy ones (200 %), which stay: they are all the healthy ones (100 %).
    h.ecs.tickServices();
    let now = await describe1('breaker');
    expect(now.deployments?.map((d) => [d.id, d.runningCount, d.failedTasks])).toEqual([
      [badId, 2, 0],
      [goodId, 2, 0],
    ]);
    // Their health checks fail: stopped, counted, replaced.
    h.ecs.tickServices();
    now = await describe1('breaker');
    expect(now.deployments?.[0]).toMatchObject({ id: badId, rolloutState: 'IN_PROGRESS', failedTasks: 2, runningCount: 2 });
    expect(now.events?.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^\(service breaker\) \(task [0-9a-f]{32}\) failed container health checks\.$/)]));
    // Four failures pass the threshold of 3: the breaker trips and rolls back to web:1.
    h.ecs.tickServices();
    now = await describe1('breaker');
    expect(now.taskDefinition).toMatch(/task-definition\/web:1$/);
    const rollback = now.deployments?.[0];
    expect(rollback?.id).not.toBe(goodId);
    expect(rollback?.id).not.toBe(badId);
    expect(rollback).toMatchObject({ status: 'PRIMARY', taskDefinition: created?.taskDefinition, rolloutState: 'COMPLETED', runningCount: 2 });
    expect(now.runningCount).toBe(2);

    const events = serviceEvents(created?.serviceArn);
    expect(events.map((e) => [e.detail.eventName, e.detail.deploymentId, e.detail.reason])).toEqual([
      ['SERVICE_DEPLOYMENT_IN_PROGRESS', goodId, `ECS deployment ${goodId} in progress.`],
      ['SERVICE_DEPLOYMENT_COMPLETED', goodId, `ECS deployment ${goodId} completed.`],
      ['SERVICE_STEADY_STATE', undefined, undefined],
      ['SERVICE_DEPLOYMENT_IN_PROGRESS', badId, `ECS deployment ${badId} in progress.`],
      ['SERVICE_TASK_START_IMPAIRED', undefined, undefined],
      ['SERVICE_DEPLOYMENT_FAILED', badId, 'ECS deployment circuit breaker: task failed to start.'],
      ['SERVICE_DEPLOYMENT_IN_PROGRESS', rollback?.id, `ECS deployment circuit breaker: rolling back to deploymentId ${goodId}.`],
      ['SERVICE_DEPLOYMENT_COMPLETED', rollback?.id, `ECS deployment ${rollback?.id} completed.`],
      ['SERVICE_STEADY_STATE', undefined, undefined],
    ]);
    const { taskArns } = await h.client.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'breaker', desiredStatus: 'STOPPED' }));
    const { tasks } = await h.client.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: taskArns ?? [] }));
    const unhealthy = (tasks ?? []).filter((t) => t.stoppedReason === 'Task failed container health checks');
    expect(unhealthy).toHaveLength(4);
    for (const task of unhealthy) expect(task).toMatchObject({ startedBy: badId, stopCode: 'ServiceSchedulerInitiated' });
  });

  it('without the circuit breaker keeps trying, reports the impaired start once, and never fails the deployment', async () => {
    await h.client.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'nobreaker', taskDefinition: 'web:3', desiredCount: 1 }));
    for (let i = 0; i < 6; i++) h.ecs.tickServices();
    const now = await describe1('nobreaker');
    expect(now.deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', failedTasks: 5 });
    const arn = now.serviceArn;
    expect(names(serviceEvents(arn))).toEqual(['SERVICE_DEPLOYMENT_IN_PROGRESS', 'SERVICE_TASK_START_IMPAIRED']);
    await h.client.send(new DeleteServiceCommand({ cluster: CLUSTER, service: 'nobreaker', force: true }));
  });

  it('starts a new deployment on forceNewDeployment, and only scales on a new desired count', async () => {
    await h.client.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'scale', taskDefinition: 'web:1', desiredCount: 1 }));
    h.ecs.tickServices();
    const firstId = (await describe1('scale')).deployments?.[0]?.id;
    await h.client.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'scale', desiredCount: 3 }));
    h.ecs.tickServices();
    let now = await describe1('scale');
    expect(now.deployments?.map((d) => [d.id, d.desiredCount, d.runningCount])).toEqual([[firstId, 3, 3]]);
    const { service } = await h.client.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'scale', forceNewDeployment: true }));
    expect(service?.deployments).toHaveLength(2);
    h.ecs.tickServices();
    now = await describe1('scale');
    expect(now.deployments).toHaveLength(1);
    expect(now.deployments?.[0]?.id).not.toBe(firstId);
    expect(now.deployments?.[0]?.taskDefinition).toBe(service?.taskDefinition);
  });

  it('replaces a task that stops under a steady service', async () => {
    await h.client.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'heal', taskDefinition: 'web:1', desiredCount: 1 }));
    h.ecs.tickServices();
    const [first] = (await h.client.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'heal' }))).taskArns ?? [];
    const record = h.ecs.state.findTask(h.ecs.state.cluster(CLUSTER), first ?? '');
    if (!record) throw new Error('no task');
    h.ecs.state.stopTask(record, { stopCode: 'EssentialContainerExited', reason: 'Essential container in task exited', exitCode: 1 });
    h.ecs.tickServices();
    const [second] = (await h.client.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: 'heal' }))).taskArns ?? [];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    const now = await describe1('heal');
    expect(now).toMatchObject({ runningCount: 1 });
    expect(now.deployments?.[0]?.failedTasks).toBe(1);
    expect(names(serviceEvents(now.serviceArn)).filter((n) => n === 'SERVICE_STEADY_STATE')).toHaveLength(2);
  });
});

describe('placement failures', () => {
  it('reports SERVICE_TASK_PLACEMENT_FAILURE once while tasks cannot be placed, with the instances and the reason', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'tiny' }));
    const { containerInstance } = await h.client.send(
      new RegisterContainerInstanceCommand({ cluster: 'tiny', totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 200 }] }),
    );
    const { service } = await h.client.send(new CreateServiceCommand({ cluster: 'tiny', serviceName: 'big', taskDefinition: 'web:1', desiredCount: 2 }));
    for (let i = 0; i < 3; i++) h.ecs.tickServices();
    const failures = serviceEvents(service?.serviceArn).filter((e) => e.detail.eventName === 'SERVICE_TASK_PLACEMENT_FAILURE');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.detail).toEqual({
      eventType: 'ERROR',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/tiny',
      containerInstanceArns: [containerInstance?.containerInstanceArn],
      reason: 'RESOURCE:CPU',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const now = await describe1('big', 'tiny');
    expect(now).toMatchObject({ runningCount: 1, desiredCount: 2 });
    expect(now.events?.[0]?.message).toMatch(/^\(service big\) was unable to place a task because no container instance met all of its requirements\./);
  });
});

describe('DeleteService', () => {
  it('refuses a scaled service without force, drains it with force, and answers it INACTIVE afterwards', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'gone' }));
    await h.client.send(
      new RegisterContainerInstanceCommand({ cluster: 'gone', totalResources: [{ name: 'CPU', type: 'INTEGER', integerValue: 4096 }] }),
    );
    await h.client.send(new CreateServiceCommand({ cluster: 'gone', serviceName: 'old', taskDefinition: 'web:1', desiredCount: 2 }));
    h.ecs.tickServices();
    await expect(h.client.send(new DeleteServiceCommand({ cluster: 'gone', service: 'old' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(h.client.send(new DeleteClusterCommand({ cluster: 'gone' }))).rejects.toMatchObject({
      name: 'ClusterContainsServicesException',
    });
    const { service } = await h.client.send(new DeleteServiceCommand({ cluster: 'gone', service: 'old', force: true }));
    expect(service).toMatchObject({ status: 'DRAINING', desiredCount: 0 });
    await expect(h.client.send(new UpdateServiceCommand({ cluster: 'gone', service: 'old', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
    expect((await h.client.send(new DescribeClustersCommand({ clusters: ['gone'] }))).clusters?.[0]?.activeServicesCount).toBe(0);
    h.ecs.tickServices();
    expect((await h.client.send(new ListTasksCommand({ cluster: 'gone', serviceName: 'old' }))).taskArns).toEqual([]);
    expect(await describe1('old', 'gone')).toMatchObject({ status: 'INACTIVE', runningCount: 0 });
    expect((await h.client.send(new ListServicesCommand({ cluster: 'gone' }))).serviceArns).toEqual([]);
    await expect(h.client.send(new UpdateServiceCommand({ cluster: 'gone', service: 'ghost' }))).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
    });
    // The name is free again once the service is INACTIVE.
    await h.client.send(new CreateServiceCommand({ cluster: 'gone', serviceName: 'old', taskDefinition: 'web:1', desiredCount: 0 }));
    expect(await describe1('old', 'gone')).toMatchObject({ status: 'ACTIVE' });
  });
});

describe('service events and ground truth', () => {
  it('publishes both event types shaped as the ECS Developer Guide shows them', () => {
    const arn = `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/api`;
    const [inProgress, completed, steady] = serviceEvents(arn);
    for (const event of [inProgress, completed, steady]) {
      expect(Object.keys(event ?? {}).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
      expect(event).toMatchObject({ version: '0', source: 'aws.ecs', account: '123456789012', region: 'us-east-1', resources: [arn] });
      expect(event?.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(inProgress?.['detail-type']).toBe('ECS Deployment State Change');
    expect(Object.keys(inProgress?.detail ?? {})).toEqual(['eventType', 'eventName', 'deploymentId', 'updatedAt', 'reason']);
    expect(inProgress?.detail).toMatchObject({ eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS' });
    expect(completed?.detail).toMatchObject({ eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' });
    expect(steady?.['detail-type']).toBe('ECS Service Action');
    // Service action events carry no version: their order is their time.
    expect(Object.keys(steady?.detail ?? {})).toEqual(['eventType', 'eventName', 'clusterArn', 'createdAt']);
    expect(steady?.detail).toMatchObject({ eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/${CLUSTER}` });
    expect(Date.parse(String(steady?.detail.createdAt))).toBeGreaterThanOrEqual(Date.parse(String(inProgress?.detail.updatedAt)));
  });

  it('has every service in the ground truth, as DescribeServices answers it with tags', async () => {
    const truth = h.ecs.groundTruth().services;
    const api = truth.find((s) => s.serviceName === 'api' && s.clusterArn?.endsWith(`/${CLUSTER}`));
    const { services } = await h.client.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['api'], include: ['TAGS'] }));
    expect(api).toEqual(services?.[0]);
    expect(api?.tags).toEqual([{ key: 'team', value: 'a' }]);
    expect(truth.filter((s) => s.clusterArn?.endsWith('/many'))).toHaveLength(23);
    expect(truth.find((s) => s.serviceName === 'nobreaker')?.status).toBe('INACTIVE');
  });
});

describe('the scheduler on its own clock, through the event queue and its faults', () => {
  it('rolls a service out on its timer, and the event-drop fault drops service events too', async () => {
    const timed = await startEcs({ seed: 9, serviceTickMs: 10, transitionDelayMs: 5 });
    const sqs = new SQSClient({ endpoint: timed.sim.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const seen: string[] = [];
      const received = async (): Promise<string[]> => {
        const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: timed.sim.eventQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
        seen.push(...(Messages ?? []).map((m) => String((JSON.parse(m.Body ?? '{}') as { 'detail-type'?: string })['detail-type'])));
        return seen;
      };
      await timed.client.send(new CreateClusterCommand({ clusterName: 'c' }));
      await timed.client.send(
        new RegisterTaskDefinitionCommand({
          family: 'f',
          networkMode: 'awsvpc',
          cpu: '256',
          memory: '512',
          requiresCompatibilities: ['FARGATE'],
          containerDefinitions: [{ name: 'app', image: IMAGE }],
        }),
      );
      await expect(
        timed.client.send(new CreateServiceCommand({ cluster: 'c', serviceName: 'nonet', taskDefinition: 'f', desiredCount: 1, launchType: 'FARGATE' })),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });
      timed.sim.faults.update({ events: { dropRate: 1 } });
      await timed.client.send(
        new CreateServiceCommand({
          cluster: 'c',
          serviceName: 'web',
          taskDefinition: 'f',
          desiredCount: 2,
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } },
        }),
      );
      const steady = await eventually('the service to reach a steady state on its own', async () => {
        const { services } = await timed.client.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }));
        const service = services?.[0];
        return service?.deployments?.[0]?.rolloutState === 'COMPLETED' ? service : undefined;
      }, { timeoutMs: 30_000 });
      expect(steady).toMatchObject({ runningCount: 2, launchType: 'FARGATE', platformVersion: 'LATEST' });
      expect(timed.events.filter((e) => e['detail-type'] === SERVICE_ACTION)).toHaveLength(1);
      expect(await received()).toEqual([]);

      timed.sim.faults.update({ events: { dropRate: 0 } });
      await timed.client.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', desiredCount: 0 }));
      // Both kinds, in whichever order the scheduler's timers published them.
      const delivered = await eventually('the scale-in events in the queue', async () => {
        const types = await received();
        return types.includes(SERVICE_ACTION) && types.includes('ECS Task State Change') ? [...types] : undefined;
      }, { timeoutMs: 30_000 });
      expect(delivered).toEqual(expect.arrayContaining([SERVICE_ACTION, 'ECS Task State Change']));
    } finally {
      sqs.destroy();
      await timed.close();
    }
  });
});
