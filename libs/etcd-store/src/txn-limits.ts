import { InvalidStoreArgumentError } from './errors';

/**
 * etcd rejects a Txn with more than `--max-txn-ops` (default 128) operations
 * in any of its compare/success/failure lists, or a request larger than
 * `--max-request-bytes` (default 1.5 MiB). Batches are cut to stay under both,
 * with headroom on bytes for protobuf framing.
 */
export interface TxnLimits {
  readonly maxOpsPerTxn: number;
  readonly maxBytesPerTxn: number;
  /**
   * Chunks of one batch written at once. etcd applies writes one after the
   * other, so a batch of a whole large cluster sent at once would queue its
   * last Txns behind all the others, past the client's deadline per call;
   * a few in flight keep etcd busy and every call short.
   */
  readonly maxTxnsInFlight: number;
}

export const DEFAULT_TXN_LIMITS: TxnLimits = { maxOpsPerTxn: 128, maxBytesPerTxn: 1024 * 1024, maxTxnsInFlight: 16 };

/** Per-operation protobuf overhead allowance (tags, lengths, revision fields). */
const OP_OVERHEAD_BYTES = 64;

export function validateTxnLimits(limits: TxnLimits): TxnLimits {
  if (!Number.isInteger(limits.maxOpsPerTxn) || limits.maxOpsPerTxn < 2) {
    throw new InvalidStoreArgumentError(`maxOpsPerTxn must be an integer >= 2, got ${limits.maxOpsPerTxn}`);
  }
  if (!Number.isInteger(limits.maxBytesPerTxn) || limits.maxBytesPerTxn < 1024) {
    throw new InvalidStoreArgumentError(`maxBytesPerTxn must be an integer >= 1024, got ${limits.maxBytesPerTxn}`);
  }
  if (!Number.isInteger(limits.maxTxnsInFlight) || limits.maxTxnsInFlight < 1) {
    throw new InvalidStoreArgumentError(`maxTxnsInFlight must be a positive integer, got ${limits.maxTxnsInFlight}`);
  }
  return limits;
}

/**
 * Splits items into consecutive chunks of at most `maxItems` items and
 * roughly `maxBytes` bytes. An item larger than the budget gets a chunk of
 * its own (etcd then decides whether it fits).
 */
export function chunkBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxItems: number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item) + OP_OVERHEAD_BYTES;
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
