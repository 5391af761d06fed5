import { InvalidStoreArgumentError } from './errors';

/**
 * etcd revisions are int64 on the wire (strings in the client). Real clusters
 * stay far below 2^53, so they are handled as numbers; anything else is a bug.
 */
export function toRevision(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidStoreArgumentError(`not a valid etcd revision: ${String(value)}`);
  }
  return n;
}

export function assertRevision(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidStoreArgumentError(`${what} must be a positive integer revision, got ${value}`);
  }
}
