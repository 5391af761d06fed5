/**
 * How records of one kind map onto etcd. `versionOf` is the ordering the
 * store enforces: a write lands only when its version is strictly greater than
 * the stored one. `encode` must be deterministic so that re-writing the same
 * record can be recognised and skipped.
 */
export interface RecordCodec<R> {
  keyOf(record: R): string;
  versionOf(record: R): number;
  encode(record: R): string;
  decode(key: string, bytes: Buffer): R;
  /**
   * The version of stored bytes, for the newer-wins check of every write,
   * cheaper than `versionOf(decode(...))` where the codec can read it alone.
   * Throws when the bytes are not a record of this key.
   */
  storedVersion?(key: string, bytes: Buffer): number;
}
