import { eventually } from '@ecs-state/test-support';
import { startEtcdCluster, type EtcdCluster } from '../src';

// Three etcd processes start and elect a leader in the set-up: seconds here, more on a slow, busy machine.
jest.setTimeout(90_000);

const b64 = (text: string) => Buffer.from(text).toString('base64');

async function put(endpoint: string, key: string, value: string): Promise<void> {
  const res = await fetch(`${endpoint}/v3/kv/put`, { method: 'POST', body: JSON.stringify({ key: b64(key), value: b64(value) }) });
  if (!res.ok) throw new Error(`put through ${endpoint}: ${res.status} ${await res.text()}`);
}

/** A linearizable read (etcd's default): the member answers only what the cluster agreed on. */
async function get(endpoint: string, key: string): Promise<string | undefined> {
  const res = await fetch(`${endpoint}/v3/kv/range`, { method: 'POST', body: JSON.stringify({ key: b64(key) }), signal: AbortSignal.timeout(5000) });
  const body = (await res.json()) as { kvs?: { value: string }[] };
  const value = body.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString();
}

async function memberCount(endpoint: string): Promise<number> {
  const res = await fetch(`${endpoint}/v3/cluster/member/list`, { method: 'POST', body: '{}' });
  return ((await res.json()) as { members?: unknown[] }).members?.length ?? 0;
}

describe('a local three-member etcd cluster', () => {
  let cluster: EtcdCluster;
  beforeAll(async () => {
    cluster = await startEtcdCluster({ members: 3 });
  });
  afterAll(() => cluster?.stop());

  it('forms one cluster of three members on distinct loopback ports', async () => {
    expect(cluster.endpoints).toHaveLength(3);
    expect(new Set(cluster.endpoints).size).toBe(3);
    for (const endpoint of cluster.endpoints) expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(cluster.members.map((m) => m.dataDir)).size).toBe(3);
    for (const endpoint of cluster.endpoints) expect(await memberCount(endpoint)).toBe(3);
  });

  it('reads through every member what was written through one', async () => {
    await put(cluster.endpoints[0]!, 'written-via-0', 'v0');
    for (const endpoint of cluster.endpoints) expect(await get(endpoint, 'written-via-0')).toBe('v0');
  });

  it('finds the leader, elects another when it is SIGKILLed, and the old leader rejoins with what it missed', async () => {
    const leader = await cluster.leader();
    expect(cluster.members).toContain(leader);
    await leader.kill();
    expect(leader.running).toBe(false);
    const next = await cluster.leader();
    expect(next).not.toBe(leader);
    const survivor = cluster.members.find((m) => m !== leader)!;
    await put(survivor.endpoint, 'while-leader-down', 'v1');

    await leader.start();
    expect(leader.running).toBe(true);
    expect(await get(leader.endpoint, 'while-leader-down')).toBe('v1');
    expect(await get(leader.endpoint, 'written-via-0')).toBe('v0');
    expect(cluster.members).toContain(await cluster.leader());
  });

  it('keeps serving through the others while a follower is paused, which then catches up', async () => {
    const leader = await cluster.leader();
    const paused = cluster.members.find((m) => m !== leader)!;
    paused.pause();
    try {
      await put(leader.endpoint, 'while-paused', 'v2');
      expect(await cluster.leader()).toBe(leader);
    } finally {
      paused.resume();
    }
    await eventually('the paused member to catch up', async () => (await get(paused.endpoint, 'while-paused')) === 'v2', { timeoutMs: 30_000, intervalMs: 100 });
  });
});
