import { leaseTarget, readyShards } from './shard-planning';

const shard = (shardId: string, ...parents: string[]) => ({ shardId, parents });

describe('readyShards', () => {
  it('holds children back until every parent is read to its end', () => {
    const shards = [shard('p1'), shard('p2'), shard('split-a', 'p1'), shard('merged', 'p1', 'p2')];
    expect(readyShards(shards, new Map())).toEqual(['p1', 'p2']);
    expect(readyShards(shards, new Map([['p1', { kind: 'shardEnd' }]]))).toEqual(['p2', 'split-a']);
    expect(
      readyShards(
        shards,
        new Map([
          ['p1', { kind: 'shardEnd' }],
          ['p2', { kind: 'sequence', sequenceNumber: '5' }],
        ]),
      ),
    ).toEqual(['p2', 'split-a']);
    expect(
      readyShards(
        shards,
        new Map([
          ['p1', { kind: 'shardEnd' }],
          ['p2', { kind: 'shardEnd' }],
        ]),
      ),
    ).toEqual(['split-a', 'merged']);
  });

  it('treats a parent gone from the stream (past its retention) as read', () => {
    expect(readyShards([shard('child', 'expired')], new Map())).toEqual(['child']);
  });
});

describe('leaseTarget', () => {
  it('gives each live replica an even share, rounded up so that no shard is left without a reader', () => {
    expect(leaseTarget(4, 2)).toBe(2);
    expect(leaseTarget(3, 2)).toBe(2);
    expect(leaseTarget(1, 3)).toBe(1);
    expect(leaseTarget(0, 2)).toBe(0);
    expect(leaseTarget(5, 0)).toBe(5);
  });
});
