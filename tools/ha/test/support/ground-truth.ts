import { canonicalJson, normalizeContainerInstance, normalizeTask, parseKeyPrefix, type KeyPrefix, type StateRecord } from '@ecs-state/domain';
import type { Simulator } from '@ecs-state/ecs-sim';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { eventually } from '@ecs-state/test-support';

export function keyPrefix(prefix: string): KeyPrefix {
  const parsed = parseKeyPrefix(prefix);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

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

function differences(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got === undefined) diffs.push(`missing ${key}`);
    else if (got !== value) diffs.push(`differs ${key}: expected version ${JSON.parse(value).record.version}, stored ${JSON.parse(got).record.version}`);
  }
  for (const key of actual.keys()) if (!expected.has(key)) diffs.push(`unexpected ${key}`);
  return diffs;
}

/** Polls until etcd holds exactly the simulator's ground truth, record by record; resolves with the record count. */
export async function expectEtcdToMatchTruth(sim: Simulator, store: ClusterStateStore, timeoutMs = 45_000): Promise<number> {
  let diffs: string[] = [];
  return eventually(
    "etcd to hold exactly the simulator's ground truth",
    async () => {
      const expected = truthByKey(sim, store);
      diffs = differences(expected, await storedByKey(store).catch(() => new Map<string, string>()));
      return diffs.length === 0 ? expected.size : undefined;
    },
    { timeoutMs, intervalMs: 250, context: () => `${diffs.length} differences:\n${diffs.slice(0, 10).join('\n')}` },
  );
}
