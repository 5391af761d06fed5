import { canonicalJson, normalizeContainerInstance, normalizeTask, type StateRecord } from '@ecs-state/domain';
import type { Simulator } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { eventually } from '@ecs-state/test-support';

/** key -> canonical JSON of every record the simulator's ECS holds, as a complete ingest or reconcile stores it. */
function truthByKey(sim: Simulator, store: ClusterStateStore): Map<string, string> {
  if (!sim.ecs) throw new Error('the simulator runs without ECS');
  const truth = sim.ecs.groundTruth();
  const out = new Map<string, string>();
  const add = (state: StateRecord) => out.set(store.keyOf(state), canonicalJson(state));
  // Events never carry tags, and neither does DescribeTasks unless asked to include them.
  const withoutTags = <T extends { tags?: unknown }>({ tags: _tags, ...rest }: T) => rest;
  for (const task of truth.tasks) {
    const r = normalizeTask(withoutTags(task));
    if (!r.ok) throw new Error(`ground-truth task does not normalize: ${r.message}`);
    add({ kind: 'task', record: r.value });
  }
  for (const instance of truth.containerInstances) {
    const r = normalizeContainerInstance(withoutTags(instance));
    if (!r.ok) throw new Error(`ground-truth instance does not normalize: ${r.message}`);
    add({ kind: 'instance', record: r.value });
  }
  return out;
}

async function storedByKey(store: ClusterStateStore): Promise<Map<string, string>> {
  const snapshot = await store.snapshotAll();
  const out = new Map<string, string>();
  for (const item of [...snapshot.tasks, ...snapshot.instances]) out.set(item.key, canonicalJson(item.record));
  return out;
}

/** A readable difference per key for failure messages; empty when equal. */
function differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got === undefined) diffs.push(`missing ${key}`);
    else if (got !== value) diffs.push(`differs ${key}: ${describeDifference(JSON.parse(value).record, JSON.parse(got).record)}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) diffs.push(`unexpected ${key}`);
  return diffs;
}

/** Names the top-level properties whose values differ, with both versions. */
function describeDifference(expected: Record<string, unknown>, actual: Record<string, unknown>): string {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  const differing = [...names].filter((n) => JSON.stringify(expected[n]) !== JSON.stringify(actual[n]));
  return differing
    .map((n) => `${n}: expected ${JSON.stringify(expected[n])?.slice(0, 200)}, stored ${JSON.stringify(actual[n])?.slice(0, 200)}`)
    .join('; ');
}

/**
 * Polls until the store holds exactly the simulator's ground truth, record by record, or fails
 * with the first differences; resolves with the record count. A read that fails (etcd without a
 * leader) counts as not yet.
 */
export async function expectStoreToMatchTruth(sim: Simulator, store: ClusterStateStore, timeoutMs = 30_000): Promise<number> {
  let diffs: string[] = [];
  return eventually(
    "the store to hold exactly the simulator's ground truth",
    async () => {
      const expected = truthByKey(sim, store);
      diffs = differences(expected, await storedByKey(store));
      return diffs.length === 0 ? expected.size : undefined;
    },
    { timeoutMs, intervalMs: 250, context: () => `${diffs.length} differences:\n${diffs.slice(0, 10).join('\n')}` },
  );
}
