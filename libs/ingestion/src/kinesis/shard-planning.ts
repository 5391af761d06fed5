import type { ShardCheckpoint } from '@ecs-state/etcd-store';
import type { ShardInfo } from './kinesis-stream-client';

/**
 * The shards that may be read now: not read to their end yet, and whose parents
 * are (or are gone from the stream, past its retention). Children wait for their
 * parents so that an older record of a key is never applied after a newer one
 * from the child; newer-wins would absorb it, but the order keeps the replay
 * after a crash short.
 */
export function readyShards(shards: readonly ShardInfo[], checkpoints: ReadonlyMap<string, ShardCheckpoint>): string[] {
  const listed = new Set(shards.map((s) => s.shardId));
  const finished = (id: string): boolean => checkpoints.get(id)?.kind === 'shardEnd';
  return shards.filter((s) => !finished(s.shardId) && s.parents.every((p) => !listed.has(p) || finished(p))).map((s) => s.shardId);
}

/** How many shards each live replica should hold: an even share, rounded up so that every ready shard has a reader. */
export function leaseTarget(readyCount: number, members: number): number {
  return Math.ceil(readyCount / Math.max(1, members));
}
