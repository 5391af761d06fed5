import { allTasksPrefix } from '@ecs-state/domain';
import type { Etcd3 } from 'etcd3';
import { keyPrefix } from './key-prefix';

/**
 * Every task write under `prefix` after `afterRevision`, as `<taskArn>@<revision>`
 * in revision order, once writing has stopped. Read with the client's own watch
 * (not the store's) so that the reference shares no code with what it checks.
 */
export async function taskWritesAfter(client: Etcd3, prefix: string, afterRevision: number): Promise<string[]> {
  const tasks = allTasksPrefix(keyPrefix(prefix));
  // Tasks are only ever put here (no reconciler deletes them), so the newest key is the last write.
  const { kvs } = await client.getAll().prefix(tasks).exec();
  const last = Math.max(0, ...kvs.map((kv) => Number(kv.mod_revision)));
  if (last <= afterRevision) return [];
  const writes: { revision: number; change: string }[] = [];
  const watcher = await client.watch().prefix(tasks).startRevision(String(afterRevision + 1)).create();
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.on('put', (kv) => {
        const revision = Number(kv.mod_revision);
        const record = JSON.parse(kv.value.toString('utf8')) as { taskArn: string };
        writes.push({ revision, change: `${record.taskArn}@${revision}` });
        if (revision >= last) resolve();
      });
      watcher.on('error', reject);
      setTimeout(() => reject(new Error(`etcd history up to ${last} not read in time`)), 90_000).unref();
    });
  } finally {
    await watcher.cancel();
  }
  return writes.filter((w) => w.revision <= last).sort((a, b) => a.revision - b.revision).map((w) => w.change);
}
