import { recordVersion, type VersionedState } from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';

/** Each key's highest version in the stream: what etcd must hold once every event is applied. */
export function expectedVersions(store: ClusterStateStore, records: readonly VersionedState[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const record of records) {
    const key = store.keyOf(record);
    const version = recordVersion(record);
    if (version > (expected.get(key) ?? Number.NEGATIVE_INFINITY)) expected.set(key, version);
  }
  return expected;
}

/** Keys missing, extra or at another version than expected; empty when the store is exactly right. */
export async function differences(store: ClusterStateStore, expected: ReadonlyMap<string, number>): Promise<string[]> {
  const snapshot = await store.snapshotAll();
  const stored = new Map<string, number>();
  for (const item of [...snapshot.tasks, ...snapshot.instances]) stored.set(item.key, recordVersion(item.record));
  const problems: string[] = [];
  for (const [key, version] of expected) {
    const actual = stored.get(key);
    if (actual !== version) problems.push(`${key}: expected version ${version}, found ${actual ?? 'nothing'}`);
  }
  for (const key of stored.keys()) if (!expected.has(key)) problems.push(`${key}: not expected`);
  return problems;
}
