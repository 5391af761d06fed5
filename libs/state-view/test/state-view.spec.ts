import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import type { ViewChange } from '../src';
import { RevisionUnavailableError, StateView } from '../src';
import { instance, newClient, task, uniquePrefix, writer } from './support/records';

describe('StateView against etcd', () => {
  let client: Etcd3;
  const views: StateView[] = [];

  beforeAll(() => {
    client = newClient();
  });
  afterEach(async () => {
    await Promise.all(views.splice(0).map((v) => v.stop()));
  });
  afterAll(() => client.close());

  function view(prefix: Parameters<typeof writer>[1], historySize = 1000): StateView {
    const v = new StateView({ client, prefix, historySize, probeIntervalMs: 100, maxStalenessMs: 2000 });
    views.push(v);
    return v;
  }

  it('loads a snapshot, follows changes with one watch, and reports its revision', async () => {
    const prefix = uniquePrefix('load');
    const store = writer(client, prefix);
    await store.upsertIfNewer([task({ id: 'a1' }), task({ id: 'a2', cluster: 'other' }), instance({ id: 'i1' })]);
    const v = view(prefix);
    await v.start();
    expect(v.status()).toMatchObject({ started: true, tasks: 2, instances: 1 });
    const before = v.revision;
    await store.upsertOneIfNewer(task({ id: 'a1', lastStatus: 'STOPPED', version: 2 }));
    await eventually('v.revision > before', () => v.revision > before);
    const key = `${prefix}/tasks/aws/us-west-2/111122223333/FargateCluster/a1`;
    const entry = v.get(key);
    expect(entry?.state.record).toMatchObject({ lastStatus: 'STOPPED', version: 2 });
    expect(entry?.modRevision).toBe(v.revision);
    await eventually('v.status().inSync', () => v.status().inSync);
  });

  it('lists in key order with a filter, paging at one revision while writes continue', async () => {
    const prefix = uniquePrefix('paging');
    const store = writer(client, prefix);
    await store.upsertIfNewer(['t1', 't2', 't3', 't4', 't5'].map((id) => task({ id })));
    const v = view(prefix);
    await v.start();
    const first = v.list({ kind: 'task', limit: 2 });
    expect(first.items.map((e) => e.location.kind === 'task' && e.location.taskId)).toEqual(['t1', 't2']);
    expect(first.lastKey).toBeDefined();
    // Concurrent writes: a delete of an unread key, a new key and an update.
    const t4 = `${prefix}/tasks/aws/us-west-2/111122223333/FargateCluster/t4`;
    const r4 = v.get(t4)?.modRevision ?? 0;
    await store.deleteIfUnchangedSince(t4, r4);
    await store.upsertIfNewer([task({ id: 't0' }), task({ id: 't3', version: 5, lastStatus: 'STOPPED' })]);
    await eventually('v.get(t4) === undefined && v.status().historySize >= 3', () => v.get(t4) === undefined && v.status().historySize >= 3);
    const second = v.list({ kind: 'task', limit: 2, atRevision: first.revision, ...(first.lastKey ? { afterKey: first.lastKey } : {}) });
    expect(second.revision).toBe(first.revision);
    expect(second.items.map((e) => [e.location.kind === 'task' && e.location.taskId, e.state.record.lastStatus])).toEqual([
      ['t3', 'RUNNING'],
      ['t4', 'RUNNING'],
    ]);
    const third = v.list({ kind: 'task', limit: 2, atRevision: first.revision, ...(second.lastKey ? { afterKey: second.lastKey } : {}) });
    expect(third.items.map((e) => e.location.kind === 'task' && e.location.taskId)).toEqual(['t5']);
    expect(third.lastKey).toBeUndefined();
    // Now: t0 appears, t4 is gone.
    expect(v.list({ kind: 'task', limit: 10 }).items.map((e) => e.location.kind === 'task' && e.location.taskId)).toEqual(['t0', 't1', 't2', 't3', 't5']);
  });

  it('replays history after a revision, then delivers live changes exactly once', async () => {
    const prefix = uniquePrefix('subscribe');
    const store = writer(client, prefix);
    const v = view(prefix);
    await v.start();
    const start = v.revision;
    await store.upsertOneIfNewer(task({ id: 'x1' }));
    await store.upsertOneIfNewer(task({ id: 'x1', version: 2, lastStatus: 'STOPPED' }));
    await eventually('v.status().historySize === 2', () => v.status().historySize === 2);
    const seen: ViewChange[] = [];
    const sub = v.subscribe(start, (changes) => seen.push(...changes), () => undefined);
    expect(seen.map((c) => c.entry?.state.record.lastStatus)).toEqual(['RUNNING', 'STOPPED']);
    const key = seen[0]?.key ?? '';
    await store.deleteIfUnchangedSince(key, v.revision);
    await eventually('seen.length === 3', () => seen.length === 3);
    expect(seen[2]).toMatchObject({ type: 'delete', key, entry: null });
    expect(seen[2]?.previous?.state.record.lastStatus).toBe('STOPPED');
    sub.close();
  });

  it('refuses revisions outside its history', async () => {
    const prefix = uniquePrefix('range');
    const store = writer(client, prefix);
    const v = view(prefix, 2);
    await v.start();
    const start = v.revision;
    await store.upsertOneIfNewer(task({ id: 'y1' }));
    await store.upsertOneIfNewer(task({ id: 'y2' }));
    await store.upsertOneIfNewer(task({ id: 'y3' }));
    await eventually('v.list({ kind: \'task\', limit: 10 }).items.length === 3', () => v.list({ kind: 'task', limit: 10 }).items.length === 3);
    expect(v.canServeFrom(start)).toBe(false);
    expect(() => v.subscribe(start, () => undefined, () => undefined)).toThrow(RevisionUnavailableError);
    expect(() => v.subscribe(v.revision + 1, () => undefined, () => undefined)).toThrow(/ahead of the view/);
    expect(() => v.list({ kind: 'task', limit: 1, atRevision: start })).toThrow(/older than/);
  });

  it('skips values it cannot decode without stopping', async () => {
    const prefix = uniquePrefix('garbage');
    await client.put(`${prefix}/tasks/aws/us-west-2/111122223333/c/bad`).value('not json');
    const v = view(prefix);
    await v.start();
    expect(v.status().tasks).toBe(0);
    await writer(client, prefix).upsertOneIfNewer(task({ id: 'ok1' }));
    await eventually('v.status().tasks === 1', () => v.status().tasks === 1);
  });
});
