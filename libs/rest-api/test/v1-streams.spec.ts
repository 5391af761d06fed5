import { API_METRICS } from '../src/metrics/api-metrics';
import { eventually } from '@ecs-state/test-support';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { instance, task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';
import { StreamClient } from './support/stream-client';
import { listenOnLoopback } from './support/listen-on-loopback';

function statuses(client: StreamClient): string[] {
  return client.json().map((item) => {
    const entity = item['entity'] as { taskARN?: string; lastStatus?: string } | undefined;
    const meta = item['metadata'] as { deleted?: boolean } | undefined;
    return `${entity?.taskARN?.split('/').pop() ?? '?'}:${meta?.deleted ? 'DELETED' : (entity?.lastStatus ?? '?')}`;
  });
}

describe('v1 streams over a real connection', () => {
  let h: Harness;
  let base: string;
  const clients: StreamClient[] = [];

  beforeAll(async () => {
    h = await startHarness('v1-streams', { stream: { heartbeatMs: 200, maxBufferedBytes: 64 * 1024 } });
    base = await listenOnLoopback(h.app);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => h.close());

  async function open(path: string, headers: Record<string, string> = {}): Promise<StreamClient> {
    const client = await StreamClient.open(`${base}${path}`, headers);
    clients.push(client);
    return client;
  }

  it('streams from now: one JSON object per change, instances on their own stream', async () => {
    const tasks = await open('/v1/stream/tasks');
    const instances = await open('/v1/stream/instances');
    expect(tasks.status).toBe(200);
    await h.put(task({ id: 'now1', cluster: 'live' }), instance({ id: 'inow1' }));
    await eventually('tasks.json().length === 1 && instances.json().length === 1', () => tasks.json().length === 1 && instances.json().length === 1);
    expect(statuses(tasks)).toEqual(['now1:RUNNING']);
    expect(tasks.json()[0]).toMatchObject({ metadata: { entityVersion: expect.stringMatching(/^[0-9]+$/) } });
    expect((instances.json()[0]?.['entity'] as { containerInstanceARN: string }).containerInstanceARN).toContain('/inow1');
  });

  it('streams from a past entityVersion: both the RUNNING and the STOPPED version of a task', async () => {
    const running = await h.put(task({ id: 'past1', cluster: 'hist', version: 1 }));
    await h.put(task({ id: 'past1', cluster: 'hist', version: 2, lastStatus: 'STOPPED' }));
    const client = await open(`/v1/stream/tasks?entityVersion=${running}`);
    await eventually('client.json().length >= 2', () => client.json().length >= 2);
    expect(statuses(client).slice(0, 2)).toEqual(['past1:RUNNING', 'past1:STOPPED']);
  });

  it('hands over from a list to a stream without gap or repeat', async () => {
    await h.put(task({ id: 'h1', cluster: 'handover' }));
    const list = (await h.app.inject({ url: '/v1/tasks?cluster=handover' })).json() as { revision: string };
    await h.put(task({ id: 'h2', cluster: 'handover' }));
    await h.put(task({ id: 'h1', cluster: 'handover', version: 2, lastStatus: 'STOPPED' }));
    const client = await open(`/v1/stream/tasks?afterRevision=${list.revision}`);
    expect(client.headers['x-store-revision']).toBe(list.revision);
    await eventually('client.json().length >= 2', () => client.json().length >= 2);
    await h.put(task({ id: 'h3', cluster: 'handover' }));
    await eventually('client.json().length >= 3', () => client.json().length >= 3);
    expect(statuses(client)).toEqual(['h2:RUNNING', 'h1:STOPPED', 'h3:RUNNING']);
  });

  it('sends deletes as tombstones only when asked', async () => {
    const plain = await open('/v1/stream/tasks');
    const withTombstones = await open('/v1/stream/tasks?tombstones=true');
    const revision = await h.put(task({ id: 'gone1', cluster: 'tomb' }));
    expect(revision).toBeGreaterThan(0);
    await h.del(`${h.prefix}/tasks/aws/us-west-2/111122223333/tomb/gone1`);
    await h.put(task({ id: 'after1', cluster: 'tomb' }));
    await eventually('plain.json().length >= 2 && withTombstones.json().length >= 3', () => plain.json().length >= 2 && withTombstones.json().length >= 3);
    expect(statuses(plain)).toEqual(['gone1:RUNNING', 'after1:RUNNING']);
    expect(statuses(withTombstones)).toEqual(['gone1:RUNNING', 'gone1:DELETED', 'after1:RUNNING']);
  });

  it('speaks Server-Sent Events, with heartbeats and resumable ids', async () => {
    const client = await open('/v1/stream/tasks', { accept: 'text/event-stream' });
    expect(client.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const revision = await h.put(task({ id: 'sse1', cluster: 'sse' }));
    await eventually('client.lines.includes(`id: ${revision}`) && client.lines.some((l) => l.startsWith(\': heartbeat\'))', () => client.lines.includes(`id: ${revision}`) && client.lines.some((l) => l.startsWith(': heartbeat')));
    expect(statuses(client)).toEqual(['sse1:RUNNING']);
    // Reconnecting with Last-Event-ID resumes after it.
    await h.put(task({ id: 'sse2', cluster: 'sse' }));
    const resumed = await open('/v1/stream/tasks', { accept: 'text/event-stream', 'last-event-id': String(revision) });
    await eventually('resumed.json().length >= 1', () => resumed.json().length >= 1);
    expect(statuses(resumed)).toEqual(['sse2:RUNNING']);
  });

  it('disconnects a client that does not read, with a resume point, without delaying others', async () => {
    const port = (h.app.server.address() as AddressInfo).port;
    const stalled = connect({ port, host: '127.0.0.1' });
    stalled.write('GET /v1/stream/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
    stalled.pause();
    let stalledClosed = false;
    stalled.on('close', () => (stalledClosed = true));
    const healthy = await open('/v1/stream/tasks');
    await eventually('h.view.status().subscribers >= 2', () => h.view.status().subscribers >= 2);
    // Large records, so the stalled socket's kernel buffers fill quickly.
    const big = 'x'.repeat(200_000);
    const count = 80;
    for (let i = 0; i < count; i += 10) {
      await h.put(...Array.from({ length: 10 }, (_, j) => ({ ...task({ id: `big${i + j}`, cluster: 'slow' }), record: { ...task({ id: `big${i + j}`, cluster: 'slow' }).record, padding: big } }) as ReturnType<typeof task>));
    }
    await eventually('healthy.json().length >= count', () => healthy.json().length >= count, { timeoutMs: 15_000 }).catch((e: Error) => { throw new Error(`healthy got ${healthy.json().length}, ended=${healthy.ended}, stalledClosed=${stalledClosed}: ${e.message}`); });
    // The server side: the stalled client was dropped as too slow, and its subscription released.
    await eventually(
      'the stalled client to be dropped as too slow',
      async () => new RegExp(`${API_METRICS.streamsEnded}\\{reason="slow_client"[^}]*\\} 1`).test((await h.app.inject({ url: '/metrics' })).body),
      { timeoutMs: 10_000, context: () => `stalledClosed=${stalledClosed}` },
    );
    expect(healthy.ended).toBe(false);
    await eventually('h.view.status().subscribers === 1', () => h.view.status().subscribers === 1);
    stalled.destroy();
  }, 30_000);

  it('serves a past revision the history no longer holds from etcd', async () => {
    const small = await startHarness('v1-streams-small-history', { historySize: 2 });
    try {
      const url = await listenOnLoopback(small.app);
      const first = await small.put(task({ id: 'o1', cluster: 'old' }));
      await small.put(task({ id: 'o2', cluster: 'old' }));
      await small.put(task({ id: 'o3', cluster: 'old' }));
      await small.put(task({ id: 'o4', cluster: 'old' }));
      expect(small.view.canServeFrom(first - 1)).toBe(false);
      const client = await StreamClient.open(`${url}/v1/stream/tasks?entityVersion=${first}`);
      clients.push(client);
      await eventually('client.json().length >= 4', () => client.json().length >= 4);
      expect(statuses(client)).toEqual(['o1:RUNNING', 'o2:RUNNING', 'o3:RUNNING', 'o4:RUNNING']);
      await small.put(task({ id: 'o5', cluster: 'old' }));
      await eventually('client.json().length >= 5', () => client.json().length >= 5);
      client.close();
    } finally {
      await small.close();
    }
  });

  it('ends streams with a final message when the server closes', async () => {
    const other = await startHarness('v1-streams-shutdown');
    const client = await StreamClient.open(`${await listenOnLoopback(other.app)}/v1/stream/tasks`);
    await other.close();
    await eventually('client.ended', () => client.ended);
    expect(client.json().pop()).toMatchObject({ error: { reason: 'server_shutdown', resumeAfterRevision: expect.any(String) } });
  });
});
