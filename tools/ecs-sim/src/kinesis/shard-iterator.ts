import { AwsError } from '../aws/aws-error';

/** Kinesis iterators expire five minutes after they are handed out. */
export const ITERATOR_LIFETIME_MS = 5 * 60_000;

/** What an iterator token stands for: a position in one shard, from a given time. */
export interface IteratorPosition {
  readonly stream: string;
  readonly shardId: string;
  /** Index of the next record to return. */
  readonly index: number;
  readonly issuedAt: number;
}

export function encodeIterator(position: IteratorPosition): string {
  return Buffer.from(JSON.stringify([position.stream, position.shardId, position.index, position.issuedAt])).toString('base64');
}

export function decodeIterator(token: string, now: number): IteratorPosition {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    fields = null;
  }
  if (!Array.isArray(fields) || fields.length !== 4) throw new AwsError('InvalidArgumentException', 'Invalid ShardIterator.');
  const [stream, shardId, index, issuedAt] = fields as unknown[];
  if (typeof stream !== 'string' || typeof shardId !== 'string' || !Number.isInteger(index) || typeof issuedAt !== 'number') {
    throw new AwsError('InvalidArgumentException', 'Invalid ShardIterator.');
  }
  if (now - issuedAt > ITERATOR_LIFETIME_MS) {
    throw new AwsError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(issuedAt).toISOString()} while right now it is ${new Date(now).toISOString()} which is further in the future than the tolerated delay of 300000 milliseconds.`);
  }
  return { stream, shardId, index: index as number, issuedAt };
}
