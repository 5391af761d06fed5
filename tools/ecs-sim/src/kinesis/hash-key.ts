import { createHash } from 'node:crypto';

/** Kinesis hash keys are 128-bit unsigned integers. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** The hash key Kinesis derives from a partition key: its MD5 digest read as a big-endian integer. */
export function hashKeyOf(partitionKey: string): bigint {
  return BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
}

/** A decimal hash key from the wire, or null if it is not one in [0, 2^128). */
export function parseHashKey(text: string): bigint | null {
  if (!/^\d{1,39}$/.test(text)) return null;
  const value = BigInt(text);
  return value <= MAX_HASH_KEY ? value : null;
}
