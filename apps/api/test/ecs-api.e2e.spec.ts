import {
  CreateClusterCommand,
  RegisterContainerInstanceCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { registerWebTaskDefinition } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import type { WatchEvent } from '@ecs-state/etcd-store';
import type { StateRecord } from '@ecs-state/domain';
import { arnOf } from './support/api-client';
import { E2eWorld } from './support/e2e-world';
import { entityDifferences, expectedEntities, where, type Entity } from './support/expected-entities';
import { TaskStream, type StreamItem } from './support/task-stream';

jest.setTimeout(90_000);

describe('api end to end: ECS API calls, through the ingestor and etcd, answered over v1', () => {
  const world = new E2eWorld(testEtcdEndpoints());
  const clusterArns: Record<'alpha' | 'beta', string> = { alpha: '', beta: '' };
  const streams: TaskStream[] = [];

  async function runTasks(input: Omit<RunTaskCommandInput, 'taskDefinition'>): Promise<string[]> {
    const out = await world.ecs.send(new RunTaskCommand({ taskDefinition: 'web', ...input }));
    if ((out.failures ?? []).length > 0) throw new Error(`RunTask failed: ${JSON.stringify(out.failures)}`);
    return (out.tasks ?? []).map((task) => task.taskArn as string);
  }

  async function stopTask(cluster: string, task: string): Promise<void> {
    await world.ecs.send(new StopTaskCommand({ cluster, task, reason: 'scale in' }));
  }

  async function openStream(query = ''): Promise<TaskStream> {
    const stream = await TaskStream.open(`${world.apiUrl}/v1/stream/tasks${query}`);
    streams.push(stream);
    return stream;
  }

  function truth(): { tasks: Map<string, Entity>; instances: Map<string, Entity> } {
    return expectedEntities(world.sim);
  }

  async function listed(path: string): Promise<Map<string, Entity>> {
    return world.api.entitiesByArn(path);
  }

  /** Waits until the api answers this task at the given last status; returns its entityVersion. */
  async function untilTaskIs(cluster: string, taskArn: string, lastStatus: string): Promise<string> {
    let last = 'no answer';
    return eventually(
      `${taskArn} to become ${lastStatus}`,
      async () => {
        const answer = await world.api.get(`/v1/tasks/${cluster}/${encodeURIComponent(taskArn)}`);
        last = `${answer.status} ${answer.text.slice(0, 200)}`;
        if (answer.status !== 200) return undefined;
        const item = JSON.parse(answer.text) as StreamItem;
        return item.entity['lastStatus'] === lastStatus ? item.metadata.entityVersion : undefined;
      },
      { timeoutMs: 45_000, context: () => `the api's last answer: ${last}` },
    );
  }

  beforeAll(async () => {
    await world.start();
    const { ecs } = world;
    for (const [name, format] of [
      ['alpha', 'long'],
      ['beta', 'short'],
    ] as const) {
      const created = await ecs.send(new CreateClusterCommand({ clusterName: name, tags: [{ key: 'ecs-sim:arn-format', value: format }] }));
      clusterArns[name] = created.cluster?.clusterArn as string;
    }
    const resources = [
      { name: 'CPU', type: 'INTEGER', integerValue: 4096 },
      { name: 'MEMORY', type: 'INTEGER', integerValue: 8192 },
    ];
    for (const cluster of ['alpha', 'alpha', 'beta']) await ecs.send(new RegisterContainerInstanceCommand({ cluster, totalResources: resources }));
    await registerWebTaskDefinition(ecs);
    const alphaA = await runTasks({ cluster: 'alpha', count: 3, startedBy: 'svc-a' });
    await runTasks({ cluster: 'alpha', count: 1, launchType: 'FARGATE' });
    const betaB = await runTasks({ cluster: 'beta', count: 2, startedBy: 'svc-b' });
    await runTasks({ cluster: 'beta', count: 1, startedBy: 'svc-a' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await stopTask('alpha', alphaA[0] as string);
    await stopTask('beta', betaB[0] as string);
    await world.untilApiMatchesTruth();
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await world.close();
  });

  it('lists tasks and instances with and without a cluster, equal to ECS', async () => {
    const { tasks, instances } = truth();
    expect(tasks.size).toBe(7);
    expect(instances.size).toBe(3);
    const inCluster = (name: 'alpha' | 'beta') => (entity: Entity) => entity['clusterARN'] === clusterArns[name];

    expect(entityDifferences(tasks, await listed('/v1/tasks'))).toEqual([]);
    expect(entityDifferences(where(tasks, inCluster('alpha')), await listed('/v1/tasks?cluster=alpha'))).toEqual([]);
    expect(entityDifferences(where(tasks, inCluster('beta')), await listed(`/v1/tasks?cluster=${encodeURIComponent(clusterArns.beta)}`))).toEqual([]);
    expect(entityDifferences(instances, await listed('/v1/instances'))).toEqual([]);
    expect(entityDifferences(where(instances, inCluster('alpha')), await listed('/v1/instances?cluster=alpha'))).toEqual([]);
    expect(entityDifferences(where(instances, inCluster('beta')), await listed(`/v1/instances?cluster=${encodeURIComponent(clusterArns.beta)}`))).toEqual([]);
    expect((await listed('/v1/instances?status=active&cluster=alpha')).size).toBe(2);
    expect((await listed('/v1/instances?status=INACTIVE')).size).toBe(0);

    // The old ARN format of cluster beta reaches the api as ECS wrote it.
    const betaTask = [...where(tasks, inCluster('beta')).keys()][0] as string;
    expect(betaTask).toMatch(/:task\/[0-9a-f]{32}$/);

    const body = await world.api.list('/v1/tasks');
    expect(body.revision).toMatch(/^[0-9]+$/);
    for (const item of body.items) expect(Number(item.metadata.entityVersion)).toBeLessThanOrEqual(Number(body.revision));
  });

  it('filters tasks by status in any case, by startedBy, and by combinations', async () => {
    const { tasks } = truth();
    const expectIds = async (path: string, keep: (entity: Entity) => boolean) => {
      const expected = where(tasks, keep);
      expect({ path, diffs: entityDifferences(expected, await listed(path)) }).toEqual({ path, diffs: [] });
      return expected.size;
    };
    const status = (s: string) => (e: Entity) => e['lastStatus'] === s;
    const by = (s: string) => (e: Entity) => e['startedBy'] === s;
    const alpha = (e: Entity) => e['clusterARN'] === clusterArns.alpha;

    expect(await expectIds('/v1/tasks?status=RUNNING', status('RUNNING'))).toBe(5);
    expect(await expectIds('/v1/tasks?status=running', status('RUNNING'))).toBe(5);
    expect(await expectIds('/v1/tasks?status=Stopped', status('STOPPED'))).toBe(2);
    expect(await expectIds('/v1/tasks?status=pending', status('PENDING'))).toBe(0);
    expect(await expectIds('/v1/tasks?startedBy=svc-a', by('svc-a'))).toBe(4);
    expect(await expectIds('/v1/tasks?status=running&startedBy=svc-a', (e) => status('RUNNING')(e) && by('svc-a')(e))).toBe(3);
    expect(await expectIds('/v1/tasks?cluster=alpha&startedBy=svc-a', (e) => alpha(e) && by('svc-a')(e))).toBe(3);
    expect(await expectIds('/v1/tasks?status=STOPPED&cluster=alpha', (e) => alpha(e) && status('STOPPED')(e))).toBe(1);
    expect(
      await expectIds(`/v1/tasks?status=running&cluster=${encodeURIComponent(clusterArns.alpha)}&startedBy=svc-a`, (e) => alpha(e) && status('RUNNING')(e) && by('svc-a')(e)),
    ).toBe(2);
  });

  it('gets a task or instance by cluster and ARN, and answers not found', async () => {
    const { tasks, instances } = truth();
    for (const [arn, entity] of tasks) {
      const cluster = entity['clusterARN'] === clusterArns.alpha ? 'alpha' : 'beta';
      const byName = await world.api.get(`/v1/tasks/${cluster}/${encodeURIComponent(arn)}`);
      expect(byName.status).toBe(200);
      expect((JSON.parse(byName.text) as StreamItem).entity).toEqual(entity);
      const byArn = await world.api.get(`/v1/tasks/${encodeURIComponent(entity['clusterARN'] as string)}/${encodeURIComponent(arn)}`);
      expect((JSON.parse(byArn.text) as StreamItem).entity).toEqual(entity);
    }
    for (const [arn, entity] of instances) {
      const answer = await world.api.get(`/v1/instances/${encodeURIComponent(entity['clusterARN'] as string)}/${encodeURIComponent(arn)}`);
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.text) as StreamItem).entity).toEqual(entity);
    }

    const alphaTask = [...tasks.keys()].find((arn) => arn.includes('/alpha/')) as string;
    const unknownTask = alphaTask.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
    expect(await world.api.get(`/v1/tasks/alpha/${encodeURIComponent(unknownTask)}`)).toMatchObject({ status: 404, text: 'Task not found\n' });
    // A task of cluster alpha asked for under cluster beta does not exist there.
    expect(await world.api.get(`/v1/tasks/beta/${encodeURIComponent(alphaTask)}`)).toMatchObject({ status: 404, text: 'Task not found\n' });
    const instance = [...instances.keys()][0] as string;
    const unknownInstance = instance.replace(/[0-9a-f-]{36}$/, '00000000-0000-0000-0000-000000000000');
    expect(await world.api.get(`/v1/instances/alpha/${encodeURIComponent(unknownInstance)}`)).toMatchObject({ status: 404, text: 'Instance not found\n' });
  });

  it('rejects an invalid status, an invalid cluster and redundant or unknown filters with the original messages', async () => {
    const cases: [string, string][] = [
      ['/v1/tasks?status=exploded', 'Invalid status'],
      ['/v1/instances?status=running', 'Invalid status'],
      ['/v1/tasks?cluster=not%2Fa%2Fcluster', 'Invalid cluster ARN or name'],
      ['/v1/instances?cluster=arn:aws:ecs:us-east-1:000000000000:task/alpha', 'Invalid cluster ARN or name'],
      ['/v1/tasks?status=running&status=stopped', 'At least one of the filters provided is specified multiple times'],
      ['/v1/tasks?cluster=alpha&cluster=beta', 'At least one of the filters provided is specified multiple times'],
      ['/v1/instances?status=active&status=active', 'At least one of the filters provided is specified multiple times'],
      ['/v1/tasks?colour=blue', 'At least one of the filters provided is unsupported'],
      ['/v1/instances?startedBy=svc-a', 'At least one of the filters provided is unsupported'],
    ];
    for (const [path, message] of cases) expect({ path, ...(await world.api.get(path)) }).toMatchObject({ path, status: 400, text: `${message}\n` });
  });

  it('streams from now: a task started and stopped through ECS arrives RUNNING, then STOPPED', async () => {
    const stream = await openStream();
    expect(stream.status).toBe(200);
    const openedAfter = Number(stream.headers['x-store-revision']);
    const [arn] = await runTasks({ cluster: 'alpha', count: 1, startedBy: 'stream-now' });
    await stream.until((items) => items.some((i) => i.entity['taskARN'] === arn && i.entity['lastStatus'] === 'RUNNING'), 'the RUNNING version');
    await stopTask('alpha', arn as string);
    await stream.until((items) => items.some((i) => i.entity['taskARN'] === arn && i.entity['lastStatus'] === 'STOPPED'), 'the STOPPED version');

    const items = stream.itemsOf(arn as string);
    expect(stream.items).toHaveLength(items.length); // nothing else changed
    const versions = items.map((i) => Number(i.metadata.entityVersion));
    expect(versions[0]).toBeGreaterThan(openedAfter);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(items.at(-1)?.entity).toEqual(truth().tasks.get(arn as string));
  });

  it('streams from a past entityVersion: the RUNNING and then the STOPPED version of a task', async () => {
    const [arn] = await runTasks({ cluster: 'beta', count: 1, startedBy: 'stream-past' });
    const runningVersion = await untilTaskIs('beta', arn as string, 'RUNNING');
    await stopTask('beta', arn as string);
    await untilTaskIs('beta', arn as string, 'STOPPED');

    const stream = await openStream(`?entityVersion=${runningVersion}`);
    expect(stream.status).toBe(200);
    await stream.until((items) => items.some((i) => i.entity['taskARN'] === arn && i.entity['lastStatus'] === 'STOPPED'), 'the STOPPED version');
    const items = stream.itemsOf(arn as string);
    expect(items[0]?.metadata.entityVersion).toBe(runningVersion);
    expect(items[0]?.entity['lastStatus']).toBe('RUNNING');
    expect(items.at(-1)?.entity).toEqual(truth().tasks.get(arn as string));
    for (const item of stream.items) expect(Number(item.metadata.entityVersion)).toBeGreaterThanOrEqual(Number(runningVersion));

    const current = Number((await world.api.list('/v1/tasks')).revision);
    expect(await world.api.get(`/v1/stream/tasks?entityVersion=${current + 1000}`)).toMatchObject({ status: 400, text: 'Entity version is out of range\n' });
    expect(await world.api.get('/v1/stream/tasks?entityVersion=soon')).toMatchObject({ status: 400, text: 'Invalid entity version\n' });
  });

  it('hands a listing over to a stream from its revision: every later change once, ending at ECS state', async () => {
    const listing = await world.api.list('/v1/tasks');
    const revision = Number(listing.revision);
    const state = new Map(listing.items.map((item) => [arnOf(item.entity), item]));

    // etcd's own record of every task write after the listed revision.
    const written: string[] = [];
    const watch = await world.store.watchAll({
      fromRevision: revision + 1,
      onEvent: (event: WatchEvent<StateRecord>) => {
        if (event.type === 'put' && event.record.kind === 'task') written.push(`${event.record.record.taskArn}@${event.modRevision}`);
      },
      onError: () => undefined,
    });
    try {
      const running = [...state.values()].filter((item) => item.entity['lastStatus'] === 'RUNNING').map((item) => item.entity);
      const toStop = [running.find((e) => e['clusterARN'] === clusterArns.alpha), running.find((e) => e['clusterARN'] === clusterArns.beta)] as Entity[];
      for (const entity of toStop) await stopTask(entity['clusterARN'] as string, entity['taskARN'] as string);
      const started = [...(await runTasks({ cluster: 'alpha', count: 2, startedBy: 'handover' })), ...(await runTasks({ cluster: 'beta', count: 1, startedBy: 'handover' }))];

      // Opened while the ingestor is still writing: the start comes from the view's history, the rest live.
      const stream = await openStream(`?afterRevision=${revision}`);
      expect(stream.headers['x-store-revision']).toBe(String(revision));
      await world.untilApiMatchesTruth();
      const delivered = () => stream.items.map((item) => `${item.entity['taskARN'] as string}@${item.metadata.entityVersion}`);
      // Compared once both have it all: this test's own watch may lag the stream on a busy machine.
      await eventually('the stream to deliver every write etcd saw, once each, in order', () => written.length > 0 && JSON.stringify(delivered()) === JSON.stringify(written), {
        timeoutMs: 45_000,
        context: () => `delivered ${JSON.stringify(delivered())}\netcd wrote ${JSON.stringify(written)}`,
      });
      // Nothing extra trails the last write.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(delivered()).toEqual(written);
      for (const item of stream.items) {
        expect(Number(item.metadata.entityVersion)).toBeGreaterThan(revision);
        state.set(item.entity['taskARN'] as string, item);
      }

      const finalListing = await world.api.list('/v1/tasks');
      const applied = new Map([...state].map(([arn, item]) => [arn, item.entity]));
      expect(entityDifferences(new Map(finalListing.items.map((i) => [arnOf(i.entity), i.entity])), applied)).toEqual([]);
      const expected = truth().tasks;
      expect(entityDifferences(expected, applied)).toEqual([]);
      for (const entity of toStop) expect(expected.get(entity['taskARN'] as string)?.['lastStatus']).toBe('STOPPED');
      for (const arn of started) expect(applied.get(arn)?.['lastStatus']).toBe('RUNNING');
    } finally {
      await watch.close();
    }
  });
});
