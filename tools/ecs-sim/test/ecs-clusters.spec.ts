import {
  ClusterContainsContainerInstancesException,
  ClusterContainsTasksException,
  ClusterNotFoundException,
  CreateClusterCommand,
  DeleteClusterCommand,
  DeregisterContainerInstanceCommand,
  DescribeClustersCommand,
  InvalidParameterException,
  ListClustersCommand,
  RegisterContainerInstanceCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { WEB_TASK_DEFINITION } from '@ecs-state/test-support';
import { type EcsHarness, startEcs } from './ecs-harness';

let h: EcsHarness;

beforeAll(async () => {
  h = await startEcs({ seed: 11, account: '111122223333', region: 'us-west-2' });
});

afterAll(() => h.close());

describe('ECS clusters', () => {
  it('creates a cluster idempotently and describes it with its counts', async () => {
    const created = await h.client.send(
      new CreateClusterCommand({ clusterName: 'alpha', tags: [{ key: 'team', value: 'core' }] }),
    );
    expect(created.cluster).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/alpha',
      clusterName: 'alpha',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
    });
    const again = await h.client.send(new CreateClusterCommand({ clusterName: 'alpha' }));
    expect(again.cluster?.clusterArn).toBe(created.cluster?.clusterArn);

    const byArn = await h.client.send(
      new DescribeClustersCommand({ clusters: ['arn:aws:ecs:us-west-2:111122223333:cluster/alpha'], include: ['TAGS'] }),
    );
    expect(byArn.clusters?.[0]?.tags).toEqual([{ key: 'team', value: 'core' }]);
    const withoutTags = await h.client.send(new DescribeClustersCommand({ clusters: ['alpha'] }));
    expect(withoutTags.clusters?.[0]?.tags).toBeUndefined();
  });

  it('creates `default` when no name is given and describes it when none is named', async () => {
    const created = await h.client.send(new CreateClusterCommand({}));
    expect(created.cluster?.clusterName).toBe('default');
    const described = await h.client.send(new DescribeClustersCommand({}));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['default']);
  });

  it('reports unknown clusters as MISSING failures and rejects more than 100', async () => {
    const described = await h.client.send(new DescribeClustersCommand({ clusters: ['alpha', 'ghost'] }));
    expect(described.clusters?.map((c) => c.clusterName)).toEqual(['alpha']);
    expect(described.failures).toEqual([{ arn: 'arn:aws:ecs:us-west-2:111122223333:cluster/ghost', reason: 'MISSING' }]);
    const tooMany = Array.from({ length: 101 }, (_, i) => `c${i}`);
    await expect(h.client.send(new DescribeClustersCommand({ clusters: tooMany }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('rejects invalid cluster names', async () => {
    await expect(h.client.send(new CreateClusterCommand({ clusterName: 'bad name!' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('pages ListClusters with nextToken and maxResults', async () => {
    for (let i = 0; i < 7; i++) await h.client.send(new CreateClusterCommand({ clusterName: `page-${i}` }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await h.client.send(new ListClustersCommand({ maxResults: 3, nextToken }));
      expect(page.clusterArns?.length).toBeLessThanOrEqual(3);
      seen.push(...(page.clusterArns ?? []));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    const all = await h.client.send(new ListClustersCommand({}));
    expect(seen).toEqual(all.clusterArns);
    expect(seen).toHaveLength(9);
    expect(pages).toBe(3);
    await expect(h.client.send(new ListClustersCommand({ maxResults: 101 }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(h.client.send(new ListClustersCommand({ nextToken: 'not-a-token' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
  });

  it('refuses to delete a cluster with instances or active tasks, then deletes it once empty', async () => {
    await h.client.send(new CreateClusterCommand({ clusterName: 'doomed' }));
    const { containerInstance } = await h.client.send(new RegisterContainerInstanceCommand({ cluster: 'doomed' }));
    await h.client.send(new RegisterTaskDefinitionCommand({ ...WEB_TASK_DEFINITION }));
    const { tasks } = await h.client.send(new RunTaskCommand({ cluster: 'doomed', taskDefinition: 'web' }));
    await expect(h.client.send(new DeleteClusterCommand({ cluster: 'doomed' }))).rejects.toBeInstanceOf(
      ClusterContainsContainerInstancesException,
    );
    await h.client.send(
      new DeregisterContainerInstanceCommand({ cluster: 'doomed', containerInstance: containerInstance?.containerInstanceArn, force: true }),
    );
    // The forced deregistration stopped the EC2 task; a Fargate task still blocks deletion.
    const fargate = await h.client.send(new RunTaskCommand({ cluster: 'doomed', taskDefinition: 'web', launchType: 'FARGATE' }));
    await expect(h.client.send(new DeleteClusterCommand({ cluster: 'doomed' }))).rejects.toBeInstanceOf(
      ClusterContainsTasksException,
    );
    await h.client.send(new StopTaskCommand({ cluster: 'doomed', task: fargate.tasks?.[0]?.taskArn }));
    expect(tasks?.[0]?.taskArn).toBeDefined();

    const deleted = await h.client.send(new DeleteClusterCommand({ cluster: 'doomed' }));
    expect(deleted.cluster).toMatchObject({ clusterName: 'doomed', status: 'INACTIVE' });
    const described = await h.client.send(new DescribeClustersCommand({ clusters: ['doomed'] }));
    expect(described.failures?.[0]?.reason).toBe('MISSING');
    expect(h.ecs.groundTruth().tasks.filter((t) => t.clusterArn?.endsWith('/doomed'))).toEqual([]);
    await expect(h.client.send(new DeleteClusterCommand({ cluster: 'doomed' }))).rejects.toBeInstanceOf(
      ClusterNotFoundException,
    );
  });
});
