import type { Etcd3, IWatchResponse } from 'etcd3';
import { endWatchStream } from './end-watch-stream';

/**
 * etcd's range error for a compacted revision does not say where compaction
 * stands, but a watch from that revision is canceled with the compact
 * revision. Used only on the error path; resolves undefined if etcd does not
 * answer within `timeoutMs`.
 */
export async function probeCompactRevision(client: Etcd3, key: Buffer, revision: number, timeoutMs = 2000): Promise<number | undefined> {
  let stream;
  try {
    stream = await client.watchClient.watch();
  } catch {
    return undefined;
  }
  const open = stream;
  return new Promise<number | undefined>((resolve) => {
    let settled = false;
    const finish = (value: number | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      endWatchStream(open);
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    open.on('data', (res: IWatchResponse) => {
      const compact = Number(res.compact_revision || 0);
      if (compact > 0) finish(compact);
      else if (res.canceled) finish(undefined);
    });
    open.on('error', () => finish(undefined));
    open.on('end', () => finish(undefined));
    open.write({ create_request: { key, start_revision: revision } });
  });
}
