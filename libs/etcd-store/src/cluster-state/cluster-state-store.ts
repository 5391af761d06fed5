import {
  allInstancesPrefix,
  allTasksPrefix,
  clusterInstancesScan,
  clusterTasksScan,
  instanceKey,
  parseKeyPrefix,
  taskKey,
  type ClusterRef,
  type InstanceState,
  type KeyPrefix,
  type KeyScan,
  type StateRecord,
  type TaskState,
} from '@ecs-state/domain';
import type { DeleteOutcome, DeleteRequest } from '../delete-if-unchanged';
import { InvalidStoreArgumentError } from '../errors';
import type { ListOptions, ListPage, StoredRecord } from '../list-snapshot';
import type { WatchHandle, WatchOptions } from '../prefix-watch';
import type { RoundTripStats } from '../round-trips';
import type { UpsertOutcome } from '../upsert-if-newer';
import { VersionedRecordStore, type GetResult, type Snapshot, type VersionedRecordStoreOptions } from '../versioned-record-store';
import { RecordKeyError, stateRecordCodec } from './state-record-codec';

export interface ClusterStateStoreOptions extends Omit<VersionedRecordStoreOptions<StateRecord>, 'codec'> {
  /** Root of the key layout, e.g. EtcdConfig.prefix. */
  readonly prefix: string;
}

export interface ClusterListOptions extends ListOptions {
  /** Only this cluster's records. A bare name matches that name in every account and region. */
  readonly cluster?: ClusterRef;
}

export interface ClusterSnapshot {
  readonly tasks: StoredRecord<TaskState>[];
  readonly instances: StoredRecord<InstanceState>[];
  readonly revision: number;
}

/**
 * The cluster state as the service stores it: tasks and container instances
 * in the domain's key layout, each kept at its newest ECS version.
 */
export class ClusterStateStore {
  readonly prefix: KeyPrefix;
  private readonly store: VersionedRecordStore<StateRecord>;

  constructor(options: ClusterStateStoreOptions) {
    const prefix = parseKeyPrefix(options.prefix);
    if (!prefix.ok) throw new InvalidStoreArgumentError(prefix.message);
    this.prefix = prefix.value;
    const { prefix: _prefix, ...storeOptions } = options;
    this.store = new VersionedRecordStore({ ...storeOptions, codec: stateRecordCodec(this.prefix) });
  }

  /** The prefix holding every task and instance key. */
  get rootPrefix(): string {
    return `${this.prefix}/`;
  }

  /** Writes tasks and instances together; each lands only if newer than what is stored. */
  upsert(records: readonly StateRecord[]): Promise<UpsertOutcome[]> {
    return this.store.upsertIfNewer(records);
  }

  async getTask(task: { readonly taskArn: string; readonly clusterArn: string }): Promise<GetResult<TaskState>> {
    const key = taskKey(this.prefix, task);
    if (!key.ok) throw new RecordKeyError(key.reason, key.message);
    const result = await this.store.get(key.value);
    return { item: result.item && isTask(result.item) ? result.item : null, revision: result.revision };
  }

  async getInstance(instance: { readonly containerInstanceArn: string; readonly clusterArn: string }): Promise<GetResult<InstanceState>> {
    const key = instanceKey(this.prefix, instance);
    if (!key.ok) throw new RecordKeyError(key.reason, key.message);
    const result = await this.store.get(key.value);
    return { item: result.item && isInstance(result.item) ? result.item : null, revision: result.revision };
  }

  /**
   * One page of tasks at one revision. With a cluster given by bare name the
   * scan covers all tasks and filters, so a page may hold fewer than `limit`
   * items while a continue token is still returned.
   */
  async listTasks(options: ClusterListOptions): Promise<ListPage<TaskState>> {
    const scan = options.cluster ? clusterTasksScan(this.prefix, options.cluster) : everything(allTasksPrefix(this.prefix));
    const page = await this.store.list(scan.prefix, options);
    return { ...page, items: page.items.filter((i) => scan.matches(i.key)).filter(isTask) };
  }

  /** One page of container instances at one revision; see listTasks. */
  async listInstances(options: ClusterListOptions): Promise<ListPage<InstanceState>> {
    const scan = options.cluster ? clusterInstancesScan(this.prefix, options.cluster) : everything(allInstancesPrefix(this.prefix));
    const page = await this.store.list(scan.prefix, options);
    return { ...page, items: page.items.filter((i) => scan.matches(i.key)).filter(isInstance) };
  }

  /** Every task and instance at one revision: the starting point for watchAll(revision + 1). */
  async snapshotAll(options: { revision?: number } = {}): Promise<ClusterSnapshot> {
    const all: Snapshot<StateRecord> = await this.store.snapshot(this.rootPrefix, options);
    return { tasks: all.items.filter(isTask), instances: all.items.filter(isInstance), revision: all.revision };
  }

  /** Changes to every task and instance; see VersionedRecordStore.watch. */
  watchAll(options: WatchOptions<StateRecord>): Promise<WatchHandle> {
    return this.store.watch(this.rootPrefix, options);
  }

  /** Keys come from the records' StoredRecord.key (or keyOf). */
  deleteIfUnchangedSince(requests: readonly DeleteRequest[]): Promise<DeleteOutcome[]> {
    return this.store.deleteManyIfUnchangedSince(requests);
  }

  keyOf(state: StateRecord): string {
    return stateRecordCodec(this.prefix).keyOf(state);
  }

  currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  roundTrips(): RoundTripStats {
    return this.store.roundTrips();
  }

  /** Ends this store's watches; the etcd client belongs to the caller. */
  close(): Promise<void> {
    return this.store.close();
  }
}

function everything(prefix: string): KeyScan {
  return { prefix, matches: () => true };
}

function isTask(item: StoredRecord<StateRecord>): item is StoredRecord<TaskState> {
  return item.record.kind === 'task';
}

function isInstance(item: StoredRecord<StateRecord>): item is StoredRecord<InstanceState> {
  return item.record.kind === 'instance';
}
