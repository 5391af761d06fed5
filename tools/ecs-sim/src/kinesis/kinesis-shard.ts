/** One record as a shard keeps it. */
export interface StoredKinesisRecord {
  readonly sequenceNumber: bigint;
  /** Base64, as it travels on the wire. */
  readonly data: string;
  readonly partitionKey: string;
  /** Milliseconds since the epoch. */
  readonly arrivedAt: number;
}

export interface ShardLineage {
  readonly parentShardId?: string;
  readonly adjacentParentShardId?: string;
}

/**
 * A shard: a hash key range, an append-only list of records in sequence order and,
 * once resharding closed it, the sequence number it ended at. Records are kept for
 * the simulator's lifetime (retention is not simulated).
 */
export class KinesisShard {
  readonly records: StoredKinesisRecord[] = [];
  private endingSequence: bigint | undefined;

  constructor(
    readonly shardId: string,
    readonly startingHashKey: bigint,
    readonly endingHashKey: bigint,
    readonly startingSequenceNumber: bigint,
    readonly lineage: ShardLineage = {},
  ) {}

  get open(): boolean {
    return this.endingSequence === undefined;
  }

  get endingSequenceNumber(): bigint | undefined {
    return this.endingSequence;
  }

  covers(hashKey: bigint): boolean {
    return hashKey >= this.startingHashKey && hashKey <= this.endingHashKey;
  }

  append(record: StoredKinesisRecord): void {
    this.records.push(record);
  }

  close(endingSequenceNumber: bigint): void {
    this.endingSequence = endingSequenceNumber;
  }

  /** Index of the first record whose sequence number is >= (or > when `after`) the given one. */
  indexOfSequence(sequenceNumber: bigint, after: boolean): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const seq = (this.records[mid] as StoredKinesisRecord).sequenceNumber;
      if (seq < sequenceNumber || (after && seq === sequenceNumber)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first record that arrived at or after `at` (ms). */
  indexOfTime(at: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.records[mid] as StoredKinesisRecord).arrivedAt < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The wire form of ListShards. */
  describe(): Record<string, unknown> {
    return {
      ShardId: this.shardId,
      ...(this.lineage.parentShardId ? { ParentShardId: this.lineage.parentShardId } : {}),
      ...(this.lineage.adjacentParentShardId ? { AdjacentParentShardId: this.lineage.adjacentParentShardId } : {}),
      HashKeyRange: { StartingHashKey: this.startingHashKey.toString(), EndingHashKey: this.endingHashKey.toString() },
      SequenceNumberRange: {
        StartingSequenceNumber: this.startingSequenceNumber.toString(),
        ...(this.endingSequence !== undefined ? { EndingSequenceNumber: this.endingSequence.toString() } : {}),
      },
    };
  }
}
