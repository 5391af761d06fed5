/**
 * How far a shard has been processed: every record up to `sequenceNumber` is
 * durable in etcd, or (`shardEnd`) a closed shard has been read to its end and
 * its children may start.
 */
export type ShardCheckpoint = { kind: 'sequence'; sequenceNumber: string } | { kind: 'shardEnd' };

export function encodeCheckpoint(checkpoint: ShardCheckpoint): string {
  return JSON.stringify(checkpoint.kind === 'shardEnd' ? { shardEnd: true } : { sequenceNumber: checkpoint.sequenceNumber });
}

/** null for bytes that are not a checkpoint: the shard is then read from its start again (newer wins makes that harmless). */
export function decodeCheckpoint(bytes: Buffer): ShardCheckpoint | null {
  try {
    const value = JSON.parse(bytes.toString('utf8')) as { shardEnd?: unknown; sequenceNumber?: unknown };
    if (value.shardEnd === true) return { kind: 'shardEnd' };
    if (typeof value.sequenceNumber === 'string' && /^\d{1,128}$/.test(value.sequenceNumber)) {
      return { kind: 'sequence', sequenceNumber: value.sequenceNumber };
    }
  } catch {
    // not JSON: treated as no checkpoint
  }
  return null;
}
