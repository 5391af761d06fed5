import { RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { allInstancesPrefix, allTasksPrefix, taskKey } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { startApiOverIngestor } from './api-over-ingestor';
import { TOKEN } from './cli-world';

const QUEUE = 'ecs-events';
export const CLUSTERS = ['workload-0', 'workload-1'] as const;
export const INSTANCES_PER_CLUSTER = 2;
export const TASKS_PER_CLUSTER = 6;

/**
 * What `get`, `describe` and `top` read, as deployed: the simulator's workload (EC2 and
 * Fargate tasks on two clusters of two instances), its events ingested into real etcd
 * by the real ingestor process, and the REST API over a view of that etcd.
 */
export interface InspectWorld {
  sim: Simulator;
  apiUrl: string;
  env: Record<string, string>;
  /** Starts a task through the ECS API, as a deployment or a service would; resolves with its ARN. */
  runTask(cluster: string, options?: { group?: string; launchType?: 'EC2' | 'FARGATE' }): Promise<string>;
  stopTask(cluster: string, arn: string, reason: string): Promise<void>;
  /** Removes a task from etcd, as the reconciler does for a task ECS no longer knows. */
  deleteTask(clusterArn: string, arn: string): Promise<void>;
  /** Resolves once the API lists `predicate`-true entities, or throws after 20 s. */
  until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T>;
  close(): Promise<void>;
}

async function listed(apiUrl: string, path: string): Promise<{ entity: Record<string, unknown> }[]> {
  const response = await fetch(`${apiUrl}/${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await response.json()) as { items: { entity: Record<string, unknown> }[] }).items;
}

export async function startInspectWorld(): Promise<InspectWorld> {
  const sim = await startSimulator({
    port: 0,
    region: 'us-east-1',
    eventQueue: QUEUE,
    workload: { seed: 11, clusters: CLUSTERS.length, instancesPerCluster: INSTANCES_PER_CLUSTER, tasksPerCluster: TASKS_PER_CLUSTER, ratePerSecond: 0, publishPopulation: true, start: false },
  });
  const api = await startApiOverIngestor(sim, { queue: QUEUE, prefixLabel: '/cli-get', ingestorEnv: { LOG_LEVEL: 'info' } });
  const { ecs, etcd, prefix, apiUrl, until } = api;

  const expectedTasks = CLUSTERS.length * TASKS_PER_CLUSTER;
  const expectedInstances = CLUSTERS.length * INSTANCES_PER_CLUSTER;
  await until('the workload in the API', async () => {
    const [tasks, instances] = await Promise.all([listed(apiUrl, 'v1/tasks'), listed(apiUrl, 'v1/instances')]);
    return tasks.length === expectedTasks && instances.length === expectedInstances ? true : undefined;
  });

  return {
    sim,
    apiUrl,
    env: { ECS_STATE_URL: apiUrl, ECS_STATE_TOKEN: TOKEN },
    async runTask(cluster, options = {}) {
      const launchType = options.launchType ?? 'EC2';
      const run = await ecs.send(
        new RunTaskCommand({
          cluster,
          taskDefinition: launchType === 'EC2' ? 'workload-ec2' : 'workload-fargate',
          launchType,
          ...(options.group === undefined ? {} : { group: options.group }),
          ...(launchType === 'FARGATE' ? { networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'] } } } : {}),
        }),
      );
      const arn = run.tasks?.[0]?.taskArn;
      if (arn === undefined) throw new Error(`RunTask placed nothing: ${JSON.stringify(run.failures)}`);
      return arn;
    },
    async stopTask(cluster, arn, reason) {
      await ecs.send(new StopTaskCommand({ cluster, task: arn, reason }));
    },
    async deleteTask(clusterArn, arn) {
      const key = taskKey(prefix, { taskArn: arn, clusterArn });
      if (!key.ok) throw new Error(key.message);
      await etcd.delete().key(key.value);
    },
    until,
    async close() {
      await api.close(async (client, keys) => {
        await client.delete().prefix(allTasksPrefix(keys));
        await client.delete().prefix(allInstancesPrefix(keys));
      });
      await sim.close();
    },
  };
}
