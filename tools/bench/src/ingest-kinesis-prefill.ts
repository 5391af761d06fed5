import { CreateStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** Where each record landed: its shard and sequence number, as PutRecords reported them. */
export type StreamPlacement = Map<string, bigint[]>;

/**
 * Creates a stream of `shards` shards and puts every body into it, 500 per
 * PutRecords with `concurrency` calls in flight, partitioned by index so that
 * the shards fill evenly. Returns each shard's sequence numbers in order.
 */
export async function prefillStream(kinesis: KinesisClient, stream: string, shards: number, bodies: readonly string[], concurrency = 8): Promise<StreamPlacement> {
  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
  const placement: StreamPlacement = new Map();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const start = next;
      next += 500;
      const chunk = bodies.slice(start, start + 500);
      const res = await kinesis.send(
        new PutRecordsCommand({ StreamName: stream, Records: chunk.map((body, i) => ({ PartitionKey: String(start + i), Data: Buffer.from(body, 'utf8') })) }),
      );
      if ((res.FailedRecordCount ?? 0) > 0) throw new Error(`PutRecords refused ${res.FailedRecordCount} records`);
      for (const r of res.Records ?? []) {
        const list = placement.get(r.ShardId ?? '') ?? [];
        list.push(BigInt(r.SequenceNumber ?? '0'));
        placement.set(r.ShardId ?? '', list);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  for (const list of placement.values()) list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return placement;
}

/** Records at or before each shard's checkpoint: what is durable in etcd. */
export function checkpointedRecords(placement: StreamPlacement, checkpoints: ReadonlyMap<string, { kind: string; sequenceNumber?: string }>): number {
  let done = 0;
  for (const [shardId, sequences] of placement) {
    const c = checkpoints.get(shardId);
    if (c?.kind === 'shardEnd') done += sequences.length;
    else if (c?.kind === 'sequence' && c.sequenceNumber !== undefined) {
      const at = BigInt(c.sequenceNumber);
      let lo = 0;
      let hi = sequences.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((sequences[mid] as bigint) <= at) lo = mid + 1;
        else hi = mid;
      }
      done += lo;
    }
  }
  return done;
}
