import { taskKey, type StateRecord } from '@ecs-state/domain';
import { instance, task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';

interface Summary {
  revision: string;
  clusters: {
    name: string;
    arn: string;
    instances: { total: number; byStatus: Record<string, number>; agentConnected: number; agentDisconnected: number };
    tasks: { total: number; byLastStatus: Record<string, number>; byLaunchType: Record<string, Record<string, number>> };
  }[];
}

const onEc2 = (record: StateRecord): StateRecord => (record.kind === 'task' ? { kind: 'task', record: { ...record.record, launchType: 'EC2' } } : record);
const disconnected = (record: StateRecord): StateRecord =>
  record.kind === 'instance' ? { kind: 'instance', record: { ...record.record, agentConnected: false } } : record;

describe('GET /v1/summary', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('summary');
  });
  afterAll(() => h.close());

  const summary = async () => {
    const response = await h.app.inject({ url: '/v1/summary' });
    expect(response.statusCode).toBe(200);
    return { body: response.json() as Summary, header: response.headers['x-store-revision'] };
  };

  it('counts instances by status and agent, and tasks by last status and launch type, per cluster, at one revision', async () => {
    const revision = await h.put(
      task({ id: 'a1', cluster: 'alpha' }),
      task({ id: 'a2', cluster: 'alpha', lastStatus: 'PENDING' }),
      onEc2(task({ id: 'a3', cluster: 'alpha' })),
      task({ id: 'b1', cluster: 'beta', lastStatus: 'STOPPED' }),
      instance({ id: 'i1', cluster: 'alpha' }),
      instance({ id: 'i2', cluster: 'alpha', status: 'DRAINING' }),
      disconnected(instance({ id: 'i3', cluster: 'gamma' })),
    );
    const { body, header } = await summary();
    expect(body.revision).toBe(String(revision));
    expect(header).toBe(body.revision);
    const byName = Object.fromEntries(body.clusters.map((c) => [c.name, c]));
    expect(body.clusters.map((c) => c.name)).toEqual(['alpha', 'alpha', 'beta', 'gamma']);
    // Instances and tasks of one name in two regions are two clusters.
    const alphaTasks = body.clusters.find((c) => c.name === 'alpha' && c.tasks.total > 0);
    const alphaInstances = body.clusters.find((c) => c.name === 'alpha' && c.instances.total > 0);
    expect(alphaTasks?.arn).toBe('arn:aws:ecs:us-west-2:111122223333:cluster/alpha');
    expect(alphaTasks?.tasks).toEqual({ total: 3, byLastStatus: { RUNNING: 2, PENDING: 1 }, byLaunchType: { FARGATE: { RUNNING: 1, PENDING: 1 }, EC2: { RUNNING: 1 } } });
    expect(alphaInstances?.instances).toEqual({ total: 2, byStatus: { ACTIVE: 1, DRAINING: 1 }, agentConnected: 2, agentDisconnected: 0 });
    expect(byName['beta']?.tasks.byLastStatus).toEqual({ STOPPED: 1 });
    expect(byName['gamma']?.instances).toEqual({ total: 1, byStatus: { ACTIVE: 1 }, agentConnected: 0, agentDisconnected: 1 });
  });

  it('follows changes and deletes', async () => {
    await h.put(task({ id: 'b1', cluster: 'beta', lastStatus: 'RUNNING', version: 2 }), task({ id: 'b2', cluster: 'beta' }));
    const before = (await summary()).body.clusters.find((c) => c.name === 'beta');
    expect(before?.tasks.byLastStatus).toEqual({ RUNNING: 2 });
    const key = taskKey(h.prefix, { clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/beta', taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/beta/b2' });
    if (!key.ok) throw new Error(key.message);
    const revision = await h.del(key.value);
    const after = await summary();
    expect(after.body.revision).toBe(String(revision));
    expect(after.body.clusters.find((c) => c.name === 'beta')?.tasks).toEqual({ total: 1, byLastStatus: { RUNNING: 1 }, byLaunchType: { FARGATE: { RUNNING: 1 } } });
  });

  it('takes no query parameters', async () => {
    expect((await h.app.inject({ url: '/v1/summary?cluster=alpha' })).statusCode).toBe(400);
  });
});
