/**
 * Bytes etcd stores per task, per container instance and per revision (one
 * event), measured from real records: the simulator's population, normalized as
 * the ingestor stores it, written into a fresh etcd. The deploy guide's sizing
 * formula takes its numbers from here.
 *
 *   npx tsx tools/bench/src/etcd-size-bench.ts [--clusters 10] [--tasks-per-cluster 1000] [--json out.json]
 */
import { canonicalJson, type StateRecord } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { ensureBinaries, ETCD, startEtcd } from '@ecs-state/local-services';
import type { Etcd3 } from 'etcd3';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildApiDataset } from './api-dataset';
import { benchLog, positiveIntegerOption, runBench } from './shared/bench-cli';
import { describeMachine, machineSummary } from './shared/machine';
import { benchKeyPrefix } from './bench-key-prefix';

const log = benchLog('etcd-size');
const PREFIX = benchKeyPrefix('/ecs-state');

interface Sizes {
  readonly dbSize: number;
  readonly dbSizeInUse: number;
  readonly revision: number;
}

/**
 * Defragments first: bbolt grows its file in steps and counts the unused tail as
 * in use, so only a defragmented file measures what the data takes.
 */
async function sizes(client: Etcd3): Promise<Sizes> {
  await client.maintenance.defragment();
  const status = await client.maintenance.status();
  return { dbSize: Number(status.dbSize), dbSizeInUse: Number(status.dbSizeInUse), revision: Number(status.header.revision) };
}

async function writeAll(store: ClusterStateStore, records: readonly StateRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 100) {
    const outcomes = await store.upsert(records.slice(i, i + 100));
    if (outcomes.some((o) => o.status !== 'applied')) throw new Error('a record was not written');
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { clusters: { type: 'string', default: '10' }, 'tasks-per-cluster': { type: 'string', default: '1000' }, json: { type: 'string' } },
  });
  const clusters = positiveIntegerOption(values, 'clusters');
  const tasksPerCluster = positiveIntegerOption(values, 'tasks-per-cluster');
  const dataset = buildApiDataset({ clusters, tasksPerCluster, stoppedEvery: Number.MAX_SAFE_INTEGER, seed: 1 });
  const tasks = dataset.records.filter((r) => r.kind === 'task');
  const instances = dataset.records.filter((r) => r.kind === 'instance');
  const { etcd: binary } = ensureBinaries([ETCD]) as { etcd: string };
  const etcd = await startEtcd();
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
  const store = new ClusterStateStore({ client, prefix: PREFIX });
  try {
    const empty = await sizes(client);
    log(`writing ${tasks.length} tasks`);
    await writeAll(store, tasks);
    const withTasks = await sizes(client);
    log(`writing ${instances.length} container instances`);
    await writeAll(store, instances);
    const withInstances = await sizes(client);
    // One more version of every task, as one state-change event each: what history costs.
    log('writing one more version of every task');
    await writeAll(
      store,
      tasks.map((r) => (r.kind === 'task' ? { kind: 'task', record: { ...r.record, version: r.record.version + 1, lastStatus: 'STOPPED', desiredStatus: 'STOPPED' } } : r)),
    );
    const withHistory = await sizes(client);
    log('compacting');
    await client.kv.compact({ revision: String(withHistory.revision), physical: true });
    const compacted = await sizes(client);

    const keyBytes = (r: StateRecord) => Buffer.byteLength(store.keyOf(r));
    const valueBytes = (r: StateRecord) => Buffer.byteLength(canonicalJson(r.record));
    const result = {
      date: new Date().toISOString().slice(0, 10),
      machine: machineSummary(describeMachine(binary)),
      tasks: tasks.length,
      instances: instances.length,
      storedTaskValueBytes: Math.round(mean(tasks.map(valueBytes))),
      storedTaskKeyBytes: Math.round(mean(tasks.map(keyBytes))),
      storedInstanceValueBytes: Math.round(mean(instances.map(valueBytes))),
      storedInstanceKeyBytes: Math.round(mean(instances.map(keyBytes))),
      bytesPerTask: Math.round((withTasks.dbSize - empty.dbSize) / tasks.length),
      bytesPerInstance: Math.round((withInstances.dbSize - withTasks.dbSize) / Math.max(1, instances.length)),
      bytesPerTaskRevision: Math.round((withHistory.dbSize - withInstances.dbSize) / tasks.length),
      bytesPerRecordAfterCompaction: Math.round((compacted.dbSize - empty.dbSize) / (tasks.length + instances.length)),
      sizes: { empty, withTasks, withInstances, withHistory, compacted },
    };
    const text = JSON.stringify(result, null, 2);
    console.log(text);
    if (values.json) writeFileSync(values.json, `${text}\n`);
  } finally {
    await store.close();
    client.close();
    await etcd.stop();
  }
}

runBench(main);
