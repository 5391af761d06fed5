import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
} from '@aws-sdk/client-ecs';
import { FAILING_HEALTH_CHECK } from '@ecs-state/ecs-sim';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import { E2eWorld } from './support/e2e-world';
import { TaskStream, type StreamItem } from './support/task-stream';

jest.setTimeout(120_000);

const CLUSTER = 'shop';
const APP = { name: 'app', image: 'public.ecr.aws/docker/library/nginx:latest', cpu: 128, memory: 256 };
/** Fails every task of its definition once RUNNING (the simulator's convention). */
const UNHEALTHY = { ...APP, healthCheck: FAILING_HEALTH_CHECK };

interface Deployment {
  readonly id: string;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
}
interface ServiceEvent {
  readonly eventName: string;
  readonly eventType: string;
  readonly deploymentId?: string;
  readonly reason?: string;
}
interface ServiceEntity {
  readonly serviceARN: string;
  readonly serviceName: string;
  readonly clusterARN: string;
  readonly deployments: readonly Deployment[];
  readonly events: readonly ServiceEvent[];
}

describe('services end to end: a deployment that fails its health checks, rolled back, seen through the api', () => {
  const world = new E2eWorld(testEtcdEndpoints());
  let stream: TaskStream | undefined;

  async function describeWeb(): Promise<Service> {
    const { services } = await world.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ['web'] }));
    const service = services?.[0];
    if (service === undefined) throw new Error('web not described');
    return service;
  }

  /** Waits until the api's answer for web satisfies `check`; returns it. */
  async function untilWeb(what: string, check: (web: ServiceEntity) => boolean): Promise<{ web: ServiceEntity; revision: string }> {
    let last = 'no answer';
    return eventually(
      `web: ${what}`,
      async () => {
        const answer = await world.api.get(`/v1/services/${CLUSTER}/web`);
        last = `${answer.status} ${answer.text.slice(0, 600)}`;
        if (answer.status !== 200 || answer.revision === null) return undefined;
        const web = (JSON.parse(answer.text) as { entity: ServiceEntity }).entity;
        return check(web) ? { web, revision: answer.revision } : undefined;
      },
      { timeoutMs: 60_000, context: () => `the api's last answer: ${last}` },
    );
  }

  const rollout = (web: ServiceEntity, id: string | undefined) => web.deployments.find((deployment) => deployment.id === id)?.rolloutState;

  beforeAll(async () => {
    await world.start();
    const { ecs } = world;
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    await ecs.send(
      new RegisterContainerInstanceCommand({
        cluster: CLUSTER,
        totalResources: [
          { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
          { name: 'MEMORY', type: 'INTEGER', integerValue: 8192 },
        ],
      }),
    );
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [APP] })); // web:1
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [UNHEALTHY] })); // web:2
  });

  afterAll(async () => {
    stream?.close();
    await world.close();
  });

  it('shows the first deployment COMPLETED, then the failing one FAILED and the rollback, in get, stream, list and the task filter', async () => {
    const { ecs } = world;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: 'web',
        taskDefinition: 'web:1',
        desiredCount: 2,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    const first = (await describeWeb()).deployments?.[0]?.id;
    const settled = await untilWeb('first deployment COMPLETED', (web) => rollout(web, first) === 'COMPLETED');
    expect(settled.web).toMatchObject({ serviceARN: (await describeWeb()).serviceArn, serviceName: 'web' });
    expect(settled.web.events.map((event) => event.eventName)).toContain('SERVICE_DEPLOYMENT_COMPLETED');

    // Everything from here on, from the revision the get reflected.
    stream = await TaskStream.open(`${world.apiUrl}/v1/stream/services?afterRevision=${settled.revision}`);
    expect(stream.status).toBe(200);

    await ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'web', taskDefinition: 'web:2' }));
    const failing = (await describeWeb()).deployments?.find((deployment) => deployment.status === 'PRIMARY')?.id;
    expect(failing).not.toBe(first);

    // The circuit breaker fails the deployment and rolls back to web:1 in a new deployment, which completes.
    const { web } = await untilWeb('failing deployment FAILED, rollback COMPLETED', (entity) => {
      const rollback = entity.deployments.find((deployment) => deployment.id !== first && deployment.id !== failing);
      return rollout(entity, failing) === 'FAILED' && rollback?.rolloutState === 'COMPLETED';
    });
    const failed = web.deployments.find((deployment) => deployment.id === failing);
    expect(failed?.rolloutStateReason).toMatch(/circuit breaker/);
    const rollback = web.deployments.find((deployment) => deployment.id !== first && deployment.id !== failing) as Deployment;
    // Newest first: the rollback, then the deployment it replaced.
    expect(web.deployments.map((deployment) => deployment.id).slice(0, 2)).toEqual([rollback.id, failing]);
    const failure = web.events.find((event) => event.eventName === 'SERVICE_DEPLOYMENT_FAILED');
    expect(failure).toMatchObject({ eventType: 'ERROR', deploymentId: failing });
    expect(web.events.find((event) => event.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' && event.deploymentId === rollback.id)?.reason).toMatch(
      /rolling back/,
    );
    expect(web.events.map((event) => event.eventName)).toContain('SERVICE_STEADY_STATE');

    // The stream told the same story, in order: web:2 in progress, failed, rolled back.
    const streamed = (items: readonly StreamItem[]) => items.map((item) => item.entity as unknown as ServiceEntity).filter((entity) => entity.serviceName === 'web');
    await stream.until((items) => streamed(items).some((entity) => rollout(entity, rollback.id) === 'COMPLETED'), 'the rollback COMPLETED');
    const states = streamed(stream.items).map((entity) => `${rollout(entity, failing) ?? '-'} ${rollout(entity, rollback.id) ?? '-'}`);
    const firstFailed = states.findIndex((state) => state.startsWith('FAILED'));
    expect(states.findIndex((state) => state.startsWith('IN_PROGRESS'))).toBeGreaterThanOrEqual(0);
    expect(states.findIndex((state) => state.startsWith('IN_PROGRESS'))).toBeLessThan(firstFailed);
    expect(states[states.length - 1]).toBe('FAILED COMPLETED');

    // The list filters read the PRIMARY deployment: the rollback, COMPLETED.
    const listed = async (query: string) => (await world.api.list(`/v1/services?${query}`)).items.map((item) => item.entity['serviceName']);
    expect(await listed(`cluster=${CLUSTER}&rolloutState=completed`)).toEqual(['web']);
    expect(await listed(`cluster=${CLUSTER}&rolloutState=failed`)).toEqual([]);

    // The service's tasks, by the task filter, are the simulator's tasks of group service:web.
    const simulatedEcs = world.sim.ecs;
    if (simulatedEcs === undefined) throw new Error('the simulator runs without ECS');
    const truth = simulatedEcs
      .groundTruth()
      .tasks.filter((task) => task.group === 'service:web')
      .map((task) => task.taskArn)
      .sort();
    await eventually('the tasks of web as ECS has them', async () => {
      const tasks = (await world.api.list(`/v1/tasks?cluster=${CLUSTER}&service=web`)).items.map((item) => String(item.entity['taskARN'])).sort();
      return JSON.stringify(tasks) === JSON.stringify(truth) ? tasks : undefined;
    }, { timeoutMs: 45_000 });
  });
});
