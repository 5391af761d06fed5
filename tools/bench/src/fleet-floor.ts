import { Etcd3 } from 'etcd3';
import { prefixRangeEnd } from '@ecs-state/etcd-store';

export interface FloorRead {
  /** Keys per range call. */
  readonly pageSize: number;
  readonly seconds: number;
  readonly keys: number;
  /** Bytes of the keys and values as etcd stores them. */
  readonly keyBytes: number;
  readonly valueBytes: number;
}

/**
 * The floor of an initial load: a bare etcd3 client reading every key under
 * `prefix` at one revision, in pages of `pageSize`, keeping and decoding
 * nothing. No receive limit, so that the page size is the only choice made.
 */
export async function readFloor(endpoint: string, prefix: string, pageSize: number): Promise<FloorRead> {
  const client = new Etcd3({ hosts: endpoint, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
  try {
    const end = prefixRangeEnd(Buffer.from(prefix));
    // The connection is opened before the clock starts, as a running service has one.
    await client.kv.range({ key: Buffer.from(prefix), range_end: end, count_only: true });
    const started = performance.now();
    let from = Buffer.from(prefix);
    let revision: string | undefined;
    let keys = 0;
    let keyBytes = 0;
    let valueBytes = 0;
    for (;;) {
      const response = await client.kv.range({ key: from, range_end: end, limit: pageSize, ...(revision === undefined ? {} : { revision }) });
      revision ??= response.header.revision;
      for (const kv of response.kvs) {
        keyBytes += kv.key.length;
        valueBytes += kv.value.length;
      }
      keys += response.kvs.length;
      const last = response.kvs[response.kvs.length - 1];
      if (!response.more || last === undefined) break;
      from = Buffer.concat([last.key, Buffer.from([0])]);
    }
    return { pageSize, seconds: (performance.now() - started) / 1000, keys, keyBytes, valueBytes };
  } finally {
    client.close();
  }
}

/** The fastest of a few page sizes: the floor is the best a bare client does. */
export async function bestFloor(endpoint: string, prefix: string, pageSizes: readonly number[]): Promise<{ best: FloorRead; all: FloorRead[] }> {
  const all: FloorRead[] = [];
  for (const size of pageSizes) all.push(await readFloor(endpoint, prefix, size));
  const best = all.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { best, all };
}
