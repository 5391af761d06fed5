import { AwsError } from '../aws/aws-error';
import { MAX_HASH_KEY } from './hash-key';
import { KinesisShard, type ShardLineage, type StoredKinesisRecord } from './kinesis-shard';

/** Real sequence numbers are 56 decimal digits, rising within a shard; these rise across the stream. */
const SEQUENCE_BASE = 49_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000_000n;

export interface PutResult {
  shardId: string;
  sequenceNumber: string;
}

/**
 * One provisioned stream: its shards, open and closed. Resharding closes the
 * parents at the current sequence number and opens children that name them, as
 * Kinesis does; records written afterwards go to the children.
 */
export class KinesisStream {
  readonly shards: KinesisShard[] = [];
  readonly createdAt = Date.now();
  private sequence = 0n;
  private shardCounter = 0;

  constructor(
    readonly name: string,
    readonly arn: string,
    shardCount: number,
  ) {
    const width = (MAX_HASH_KEY + 1n) / BigInt(shardCount);
    for (let i = 0; i < shardCount; i++) {
      const start = width * BigInt(i);
      const end = i === shardCount - 1 ? MAX_HASH_KEY : start + width - 1n;
      this.addShard(start, end);
    }
  }

  get openShards(): KinesisShard[] {
    return this.shards.filter((s) => s.open);
  }

  shard(shardId: string): KinesisShard {
    const shard = this.shards.find((s) => s.shardId === shardId);
    if (!shard) throw new AwsError('ResourceNotFoundException', `Shard ${shardId} in stream ${this.name} under account ${this.accountOf()} does not exist`);
    return shard;
  }

  put(hashKey: bigint, data: string, partitionKey: string, now = Date.now()): PutResult {
    const shard = this.openShards.find((s) => s.covers(hashKey));
    if (!shard) throw new AwsError('InternalFailure', `no open shard covers hash key ${hashKey}`, 500);
    const record: StoredKinesisRecord = { sequenceNumber: this.nextSequence(), data, partitionKey, arrivedAt: now };
    shard.append(record);
    return { shardId: shard.shardId, sequenceNumber: record.sequenceNumber.toString() };
  }

  split(shardId: string, newStartingHashKey: bigint): void {
    const parent = this.openShard(shardId);
    if (newStartingHashKey <= parent.startingHashKey || newStartingHashKey > parent.endingHashKey) {
      throw new AwsError('InvalidArgumentException', `NewStartingHashKey ${newStartingHashKey} is not inside the hash key range of ${shardId}.`);
    }
    parent.close(this.nextSequence());
    this.addShard(parent.startingHashKey, newStartingHashKey - 1n, { parentShardId: parent.shardId });
    this.addShard(newStartingHashKey, parent.endingHashKey, { parentShardId: parent.shardId });
  }

  merge(shardId: string, adjacentShardId: string): void {
    const first = this.openShard(shardId);
    const second = this.openShard(adjacentShardId);
    const [low, high] = first.startingHashKey < second.startingHashKey ? [first, second] : [second, first];
    if (low.endingHashKey + 1n !== high.startingHashKey) {
      throw new AwsError('InvalidArgumentException', `Shards ${shardId} and ${adjacentShardId} are not adjacent.`);
    }
    const end = this.nextSequence();
    first.close(end);
    second.close(end);
    this.addShard(low.startingHashKey, high.endingHashKey, { parentShardId: first.shardId, adjacentParentShardId: second.shardId });
  }

  /** Uniform scaling, simulated for doubling (every open shard split in half) and halving (neighbours merged). */
  updateShardCount(target: number): void {
    const open = [...this.openShards].sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    if (target === open.length) return;
    if (target === open.length * 2) {
      for (const shard of open) this.split(shard.shardId, shard.startingHashKey + (shard.endingHashKey - shard.startingHashKey + 1n) / 2n);
      return;
    }
    if (open.length % 2 === 0 && target * 2 === open.length) {
      for (let i = 0; i < open.length; i += 2) this.merge((open[i] as KinesisShard).shardId, (open[i + 1] as KinesisShard).shardId);
      return;
    }
    throw new AwsError('InvalidArgumentException', `The simulator scales from ${open.length} open shards to ${open.length * 2} or ${open.length / 2} only.`);
  }

  /** Every record of every shard, in sequence order: what a consumer must end up having seen. */
  allRecords(): StoredKinesisRecord[] {
    return this.shards.flatMap((s) => s.records).sort((a, b) => (a.sequenceNumber < b.sequenceNumber ? -1 : 1));
  }

  private openShard(shardId: string): KinesisShard {
    const shard = this.shard(shardId);
    if (!shard.open) throw new AwsError('ResourceInUseException', `Shard ${shardId} is closed.`);
    return shard;
  }

  private addShard(start: bigint, end: bigint, lineage: ShardLineage = {}): void {
    const id = `shardId-${String(this.shardCounter++).padStart(12, '0')}`;
    this.shards.push(new KinesisShard(id, start, end, SEQUENCE_BASE + this.sequence + 1n, lineage));
  }

  private nextSequence(): bigint {
    this.sequence += 1n;
    return SEQUENCE_BASE + this.sequence;
  }

  private accountOf(): string {
    return this.arn.split(':')[4] ?? '';
  }
}
