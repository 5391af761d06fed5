import { instance, task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';

const TASK_ARN = (cluster: string, id: string) => `arn:aws:ecs:us-west-2:111122223333:task/${cluster}/${id}`;
const CLUSTER_ARN = (cluster: string) => `arn:aws:ecs:us-west-2:111122223333:cluster/${cluster}`;

describe('v1 tasks and instances (the original e2e scenarios)', () => {
  let h: Harness;
  let lastRevision: number;

  beforeAll(async () => {
    h = await startHarness('v1-records');
    lastRevision = await h.put(
      task({ id: 'run1', cluster: 'alpha', startedBy: 'svc-a' }),
      task({ id: 'run2', cluster: 'beta', startedBy: 'svc-b' }),
      task({ id: 'stop1', cluster: 'alpha', lastStatus: 'STOPPED', startedBy: 'svc-a' }),
      task({ id: 'pend1', cluster: 'beta', lastStatus: 'PENDING' }),
      instance({ id: 'i-active', cluster: 'alpha' }),
      instance({ id: 'i-inactive', cluster: 'beta', status: 'INACTIVE' }),
    );
  });
  afterAll(() => h.close());

  async function get(url: string) {
    const res = await h.app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.body, json: () => res.json() as Record<string, unknown>, headers: res.headers };
  }
  function taskIds(json: Record<string, unknown>): string[] {
    return (json['items'] as { entity: { taskARN: string } }[]).map((i) => i.entity.taskARN.split('/').pop() ?? '').sort();
  }

  it('lists all tasks with the v1 shape, its revision in body and header', async () => {
    const res = await get('/v1/tasks');
    expect(res.status).toBe(200);
    const json = res.json();
    expect(taskIds(json)).toEqual(['pend1', 'run1', 'run2', 'stop1']);
    expect(json['revision']).toBe(String(lastRevision));
    expect(res.headers['x-store-revision']).toBe(String(lastRevision));
    const item = (json['items'] as { metadata: { entityVersion: string }; entity: Record<string, unknown> }[])[0];
    expect(item?.metadata.entityVersion).toMatch(/^[0-9]+$/);
    expect(item?.entity).toMatchObject({
      taskARN: expect.stringContaining(':task/'),
      clusterARN: expect.stringContaining(':cluster/'),
      containerInstanceARN: '',
      taskDefinitionARN: 'arn:aws:ecs:us-west-2:111122223333:task-definition/sample-fargate:1',
      overrides: { containerOverrides: [{ name: 'FargateApp' }] },
      launchType: 'FARGATE',
      createdAt: '2020-01-23T17:57:34.402Z',
    });
    expect(item?.entity).not.toHaveProperty('taskArn');
  });

  it('filters by cluster name or ARN, status in any case, startedBy, and combinations', async () => {
    expect(taskIds((await get('/v1/tasks?cluster=alpha')).json())).toEqual(['run1', 'stop1']);
    expect(taskIds((await get(`/v1/tasks?cluster=${encodeURIComponent(CLUSTER_ARN('beta'))}`)).json())).toEqual(['pend1', 'run2']);
    expect(taskIds((await get('/v1/tasks?status=RUNNING')).json())).toEqual(['run1', 'run2']);
    expect(taskIds((await get('/v1/tasks?status=sToPpEd')).json())).toEqual(['stop1']);
    expect(taskIds((await get('/v1/tasks?startedBy=svc-a')).json())).toEqual(['run1', 'stop1']);
    expect(taskIds((await get('/v1/tasks?status=running&cluster=alpha&startedBy=svc-a')).json())).toEqual(['run1']);
    expect(taskIds((await get('/v1/tasks?status=pending&cluster=alpha')).json())).toEqual([]);
    expect(taskIds((await get('/v1/tasks?family=sample-fargate&launchType=fargate&group=family:sample-fargate&desiredStatus=running')).json())).toEqual([
      'pend1',
      'run1',
      'run2',
      'stop1',
    ]);
    expect(taskIds((await get('/v1/tasks?family=other')).json())).toEqual([]);
  });

  it('answers the original error messages', async () => {
    const cases: [string, number, string][] = [
      ['/v1/tasks?status=bogus', 400, 'Invalid status'],
      ['/v1/tasks?cluster=bad%2Fname', 400, 'Invalid cluster ARN or name'],
      ['/v1/tasks?cluster=arn:aws:ecs:us-west-2:111122223333:task/x', 400, 'Invalid cluster ARN or name'],
      ['/v1/tasks?unknown=1', 400, 'At least one of the filters provided is unsupported'],
      ['/v1/tasks?status=running&status=stopped', 400, 'At least one of the filters provided is specified multiple times'],
      ['/v1/instances?status=running', 400, 'Invalid status'],
      ['/v1/instances?startedBy=x', 400, 'At least one of the filters provided is unsupported'],
      ['/v1/instances?cluster=a&cluster=b', 400, 'At least one of the filters provided is specified multiple times'],
      [`/v1/tasks/alpha/${encodeURIComponent(TASK_ARN('alpha', 'nope'))}`, 404, 'Task not found'],
      ['/v1/instances/alpha/arn:aws:ecs:us-east-1:111122223333:container-instance/nope', 404, 'Instance not found'],
      ['/v1/stream/tasks?entityVersion=abc', 400, 'Invalid entity version'],
      ['/v1/stream/tasks?entityVersion=0', 400, 'Invalid entity version'],
      ['/v1/stream/tasks?entityVersion=999999999999', 400, 'Entity version is out of range'],
      ['/v1/stream/tasks?foo=1', 400, 'At least one of the filters provided is unsupported'],
    ];
    for (const [url, status, message] of cases) {
      const res = await get(url);
      expect([url, res.status, res.body]).toEqual([url, status, `${message}\n`]);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it('gets a task by cluster name or ARN, with the ARN encoded or not, in old or new format', async () => {
    const arn = TASK_ARN('alpha', 'run1');
    const byName = await get(`/v1/tasks/alpha/${encodeURIComponent(arn)}`);
    expect(byName.status).toBe(200);
    expect(byName.json()).toMatchObject({ metadata: { entityVersion: expect.any(String) }, entity: { taskARN: arn, lastStatus: 'RUNNING' } });
    expect((await get(`/v1/tasks/${encodeURIComponent(CLUSTER_ARN('alpha'))}/${arn}`)).status).toBe(200);
    expect((await get(`/v1/tasks/alpha/arn:aws:ecs:us-west-2:111122223333:task/run1`)).status).toBe(200);
    // Right id, wrong cluster or account: not found.
    expect((await get(`/v1/tasks/beta/${encodeURIComponent(arn)}`)).status).toBe(404);
    expect((await get(`/v1/tasks/alpha/arn:aws:ecs:us-west-2:999999999999:task/run1`)).status).toBe(404);
    expect((await get(`/v1/tasks/alpha/not-an-arn`)).body).toBe('Invalid task ARN\n');
  });

  it('answers 404 to a get with an empty cluster segment, as the original\'s client sent it for a missing record', async () => {
    const taskArn = TASK_ARN('alpha', 'run1');
    const instanceArn = 'arn:aws:ecs:us-east-1:111122223333:container-instance/i-active';
    const cases: [string, string][] = [
      [`/v1/tasks//${encodeURIComponent(taskArn)}`, 'Task not found'],
      [`/v1/tasks//${taskArn}`, 'Task not found'],
      [`/v1/instances//${encodeURIComponent(instanceArn)}`, 'Instance not found'],
      [`/v1/instances//${instanceArn}`, 'Instance not found'],
    ];
    for (const [url, message] of cases) {
      const res = await get(url);
      expect([url, res.status, res.body, res.headers['content-type']]).toEqual([url, 404, `${message}\n`, 'text/plain; charset=utf-8']);
    }
  });

  it('lists and gets instances with the v1 instance model', async () => {
    const all = (await get('/v1/instances')).json();
    expect((all['items'] as unknown[]).length).toBe(2);
    const active = (await get('/v1/instances?status=active&cluster=alpha')).json();
    const items = active['items'] as { entity: Record<string, unknown> }[];
    expect(items).toHaveLength(1);
    const entity = items[0]?.entity ?? {};
    expect(entity).toMatchObject({
      containerInstanceARN: 'arn:aws:ecs:us-east-1:111122223333:container-instance/i-active',
      clusterARN: 'arn:aws:ecs:us-east-1:111122223333:cluster/alpha',
      EC2InstanceID: 'i-f3a8506b',
      agentConnected: true,
      status: 'ACTIVE',
      versionInfo: { agentVersion: '1.13.0' },
    });
    expect(entity['registeredResources']).toContainEqual(expect.objectContaining({ name: 'CPU', type: 'INTEGER', value: '2048' }));
    expect(entity['registeredResources']).toContainEqual(expect.objectContaining({ name: 'PORTS', value: '22,2376,2375,51678,51679' }));
    expect((await get('/v1/instances?status=INACTIVE')).json()['items']).toHaveLength(1);
    expect((await get('/v1/instances?agentConnected=true&attribute=com.amazonaws.ecs.capability.ecr-auth')).json()['items']).toHaveLength(2);
    expect((await get('/v1/instances?attribute=com.amazonaws.ecs.capability.ecr-auth=x')).json()['items']).toHaveLength(0);
    const one = await get('/v1/instances/alpha/arn:aws:ecs:us-east-1:111122223333:container-instance/i-active');
    expect(one.status).toBe(200);
    expect((one.json()['entity'] as Record<string, unknown>)['status']).toBe('ACTIVE');
  });

  it('pages with limit and nextToken at one revision while writes happen', async () => {
    const first = (await get('/v1/tasks?limit=2')).json();
    expect(taskIds(first)).toEqual(['run1', 'stop1']);
    const token = first['nextToken'] as string;
    expect(token).toEqual(expect.any(String));
    // A write between pages: a new task sorted after the first page, and an update of one not yet read.
    await h.put(task({ id: 'new0', cluster: 'beta' }), task({ id: 'run2', cluster: 'beta', version: 9, lastStatus: 'STOPPED' }));
    const second = (await get(`/v1/tasks?limit=2&nextToken=${token}`)).json();
    expect(second['revision']).toBe(first['revision']);
    const seen = [...taskIds(first), ...taskIds(second)].sort();
    expect(seen).toEqual(['pend1', 'run1', 'run2', 'stop1']);
    const run2 = (second['items'] as { entity: { taskARN: string; lastStatus: string } }[]).find((i) => i.entity.taskARN.endsWith('/run2'));
    expect(run2?.entity.lastStatus).toBe('RUNNING');
    expect(second['nextToken']).toBeUndefined();
    // A fresh listing sees the writes.
    expect(taskIds((await get('/v1/tasks')).json())).toEqual(['new0', 'pend1', 'run1', 'run2', 'stop1']);
    // A token is bound to its filters, and must be well-formed.
    expect((await get(`/v1/tasks?limit=2&status=running&nextToken=${token}`)).body).toBe('Invalid nextToken\n');
    expect((await get('/v1/tasks?nextToken=garbage!')).status).toBe(400);
    expect((await get('/v1/tasks?limit=0')).body).toBe('Invalid limit\n');
    expect((await get('/v1/tasks?limit=100001')).body).toBe('Invalid limit\n');
  });
});
