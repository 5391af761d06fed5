/**
 * The exclusive end of the key range holding every key that starts with
 * `prefix`: increment the last byte that is not 0xff, dropping what follows.
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    const byte = end[i] as number;
    if (byte < 0xff) {
      end[i] = byte + 1;
      return end.subarray(0, i + 1);
    }
  }
  // Only 0xff bytes (or empty): the range runs to the end of the keyspace.
  return Buffer.from([0]);
}

/** The smallest key strictly after `key`, used to resume a range scan. */
export function keyAfter(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
