import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import { setTimeout as sleep } from 'node:timers/promises';
import { LeaseSession, ShardLeaseTable } from '../src';
import { newClient, uniquePrefix } from './support/test-records';

const STREAM = 'arn:aws:kinesis:us-east-1:000000000000:stream/events';

describe('shard leases and checkpoints (real etcd)', () => {
  let client: Etcd3;
  const sessions: LeaseSession[] = [];

  // Long enough that a renewal (every third of the TTL) delayed by a starved CPU still lands in
  // time: a session that lapses would hold nothing, and its failing renewals (each with a
  // deadline of one TTL) would open the client's circuit breaker for the tests after it.
  async function session(ttlSeconds = 10, onLost?: (reason: string) => void): Promise<LeaseSession> {
    const s = await LeaseSession.open({ client, ttlSeconds, ...(onLost ? { onLost } : {}) });
    sessions.push(s);
    return s;
  }

  function table(prefix: string, owner: string): ShardLeaseTable {
    return new ShardLeaseTable({ client, prefix, stream: STREAM, owner });
  }

  beforeAll(() => {
    client = newClient();
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.revoke()));
    client.close();
  });

  it('gives a shard to one replica at a time, and to another only once the holder releases it', async () => {
    const prefix = uniquePrefix('shard-leases');
    const [a, b] = [table(prefix, 'a'), table(prefix, 'b')];
    const [sa, sb] = [await session(), await session()];

    expect(await a.tryAcquire(sa, 'shardId-000')).toBe(true);
    expect(await b.tryAcquire(sb, 'shardId-000')).toBe(false);
    expect(await a.tryAcquire(sa, 'shardId-000')).toBe(false);
    expect(await b.release(sb, 'shardId-000')).toBe(false);
    expect((await b.read()).leases.get('shardId-000')).toBe('a');

    expect(await a.release(sa, 'shardId-000')).toBe(true);
    expect(await b.tryAcquire(sb, 'shardId-000')).toBe(true);
    expect((await a.read()).leases.get('shardId-000')).toBe('b');
  });

  it('writes a checkpoint only while the shard is held by the writing session', async () => {
    const prefix = uniquePrefix('checkpoints');
    const [a, b] = [table(prefix, 'a'), table(prefix, 'b')];
    const [sa, sb] = [await session(), await session()];

    expect(await a.checkpoint(sa, 'shardId-001', { kind: 'sequence', sequenceNumber: '100' })).toBe(false);
    expect((await a.read()).checkpoints.has('shardId-001')).toBe(false);

    await a.tryAcquire(sa, 'shardId-001');
    expect(await a.checkpoint(sa, 'shardId-001', { kind: 'sequence', sequenceNumber: '100' })).toBe(true);
    expect(await b.checkpoint(sb, 'shardId-001', { kind: 'sequence', sequenceNumber: '999' })).toBe(false);
    expect((await b.read()).checkpoints.get('shardId-001')).toEqual({ kind: 'sequence', sequenceNumber: '100' });
    expect(await b.checkpointOf('shardId-001')).toEqual({ kind: 'sequence', sequenceNumber: '100' });
    expect(await b.checkpointOf('shardId-none')).toBeUndefined();

    // The end of a shard releases it in the same transaction.
    expect(await a.checkpoint(sa, 'shardId-001', { kind: 'shardEnd' })).toBe(true);
    const state = await b.read();
    expect(state.checkpoints.get('shardId-001')).toEqual({ kind: 'shardEnd' });
    expect(state.leases.has('shardId-001')).toBe(false);
  });

  it('hands the shards of a replica that stopped renewing to another after the TTL; the dead one can no longer checkpoint', async () => {
    const prefix = uniquePrefix('takeover');
    const [a, b] = [table(prefix, 'a'), table(prefix, 'b')];
    const lost: string[] = [];
    // The dead session's TTL is short enough to wait out, with renewals (every second) two
    // seconds of starvation away from lapsing.
    const sa = await session(3, (reason) => lost.push(reason));
    const sb = await session();
    await a.join(sa);
    await b.join(sb);
    expect((await b.read()).members.sort()).toEqual(['a', 'b']);
    expect(await a.tryAcquire(sa, 'shardId-002')).toBe(true);

    // Renewals keep the lease past its TTL.
    const grantedUntil = sa.validUntil;
    await sleep(3_500);
    expect(sa.validUntil).toBeGreaterThan(grantedUntil);
    expect(sa.holds()).toBe(true);
    expect(await b.tryAcquire(sb, 'shardId-002')).toBe(false);

    // A crash: no more renewals, nothing revoked.
    sa.abandon();
    const abandonedAt = Date.now();
    let taken = false;
    while (!taken && Date.now() - abandonedAt < 30_000) {
      taken = await b.tryAcquire(sb, 'shardId-002');
      if (!taken) await sleep(100);
    }
    expect(taken).toBe(true);
    // Not before the dead session's own view of its lease ran out.
    expect(Date.now()).toBeGreaterThanOrEqual(sa.validUntil);
    expect(sa.holds()).toBe(false);
    expect(await a.checkpoint(sa, 'shardId-002', { kind: 'sequence', sequenceNumber: '5' })).toBe(false);
    const state = await b.read();
    expect(state.members).toEqual(['b']);
    expect(state.leases.get('shardId-002')).toBe('b');
  }, 60_000);

  it('reports a session lost when it is revoked under it, and its keys are gone at once', async () => {
    const prefix = uniquePrefix('revoked');
    const a = table(prefix, 'a');
    const lost: string[] = [];
    // Short, so the next renewal (which finds the lease gone) comes soon.
    const sa = await session(3, (reason) => lost.push(reason));
    await a.join(sa);
    await a.tryAcquire(sa, 'shardId-003');
    await client.leaseClient.leaseRevoke({ ID: sa.id });
    expect((await a.read()).leases.size).toBe(0);
    await eventually('the loss noticed', () => lost.length > 0, { timeoutMs: 15_000 });
    expect(sa.holds()).toBe(false);
  });

  it('keeps its keys beside the cluster state, never under <prefix>/', async () => {
    const prefix = uniquePrefix('layout');
    const a = table(prefix, 'a');
    const sa = await session();
    await a.join(sa);
    await a.tryAcquire(sa, 'shardId-004');
    await a.checkpoint(sa, 'shardId-004', { kind: 'sequence', sequenceNumber: '7' });
    const under = await client.getAll().prefix(`${prefix}/`).keys();
    expect(under).toEqual([]);
    const beside = await client.getAll().prefix(a.keys.base).keys();
    expect(beside).toHaveLength(3);
  });
});
