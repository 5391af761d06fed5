import {
  allServicesPrefix,
  clusterServicesPrefix,
  mergeServiceRecords,
  sameServiceState,
  type ArnResult,
  type ServiceState,
  allInstancesPrefix,
  allTasksPrefix,
  clusterInstancesPrefix,
  clusterInstancesScan,
  clusterTasksPrefix,
  clusterTasksScan,
  instanceKey,
  parseKey,
  scopeInstancesPrefix,
  scopeServicesPrefix,
  scopeTasksPrefix,
  taskKey,
  type ArnScope,
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
import type { MergeOutcome } from '../merge-records';
import type { UpsertOutcome } from '../upsert-if-newer';
import { VersionedRecordStore, type GetResult, type Snapshot, type VersionedRecordStoreOptions } from '../versioned-record-store';
import { RecordKeyError, stateRecordCodec } from './state-record-codec';
import { storedInstanceArn, type StoredClusterKeys } from './stored-cluster-keys';

export interface ClusterStateStoreOptions extends Omit<VersionedRecordStoreOptions<StateRecord>, 'codec'> {
  /** Root of the key layout, e.g. EtcdConfig.prefix (parsed once, where it is configured). */
  readonly prefix: KeyPrefix;
}

export interface ClusterListOptions extends ListOptions {
  /** Only this cluster's records. A bare name matches that name in every account and region. */
  readonly cluster?: ClusterRef;
}

export interface ClusterSnapshot {
  readonly tasks: StoredRecord<TaskState>[];
  readonly instances: StoredRecord<InstanceState>[];
  readonly services: StoredRecord<ServiceState>[];
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
    const { prefix, ...storeOptions } = options;
    this.prefix = prefix;
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

  /**
   * Merges service reports (records of one event, or DescribeServices snapshots) into the stored services by
   * the domain's ordering rule (mergeServiceRecords), keeping at most `eventsLimit` events per service
   * (unlimited by default: a snapshot adds none). A report that changes nothing but `describedAt` is not written.
   */
  mergeServices(services: readonly ServiceState[], options: { eventsLimit?: number } = {}): Promise<MergeOutcome[]> {
    const limit = options.eventsLimit;
    return this.store.mergeRecords(
      services,
      (stored, incoming) => {
        const report = (incoming as ServiceState).record;
        // Bytes under a service key that decode as another kind cannot be (keys say the kind): start afresh.
        const base = stored?.kind === 'service' ? stored.record : report;
        return { kind: 'service', record: mergeServiceRecords(base, report, limit) };
      },
      (merged, stored) => stored.kind === 'service' && sameServiceState((merged as ServiceState).record, stored.record),
    );
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
    return { tasks: all.items.filter(isTask), instances: all.items.filter(isInstance), services: all.items.filter(isService), revision: all.revision };
  }

  /** Changes to every task and instance; see VersionedRecordStore.watch. */
  watchAll(options: WatchOptions<StateRecord>): Promise<WatchHandle> {
    return this.store.watch(this.rootPrefix, options);
  }

  /**
   * One cluster's stored identities, read in parallel at one revision (the current
   * one unless given): task keys, instance keys with their ARNs, service keys. The
   * reconciler compares them with ECS and may delete what was unchanged since then.
   */
  async clusterKeys(clusterArn: string, options: { revision?: number } = {}): Promise<StoredClusterKeys> {
    const prefixOf = (result: ArnResult<string>): string => {
      if (!result.ok) throw new InvalidStoreArgumentError(`cluster ${clusterArn}: ${result.message}`);
      return result.value;
    };
    const tasks = prefixOf(clusterTasksPrefix(this.prefix, clusterArn));
    const instances = prefixOf(clusterInstancesPrefix(this.prefix, clusterArn));
    const services = prefixOf(clusterServicesPrefix(this.prefix, clusterArn));
    const revision = options.revision ?? (await this.store.currentRevision());
    const [taskKeys, instanceEntries, serviceKeys] = await Promise.all([
      this.store.listKeys(tasks, { revision }),
      this.store.listRaw(instances, { revision }),
      this.store.listKeys(services, { revision }),
    ]);
    return {
      taskKeys: taskKeys.keys,
      instances: new Map(instanceEntries.entries.map((e) => [e.key, storedInstanceArn(e.value)])),
      serviceKeys: serviceKeys.keys,
      revision,
    };
  }

  /** Every stored service at one revision. */
  async snapshotServices(options: { revision?: number } = {}): Promise<{ services: StoredRecord<ServiceState>[]; revision: number }> {
    const all = await this.store.snapshot(allServicesPrefix(this.prefix), options);
    return { services: all.items.filter(isService), revision: all.revision };
  }

  /**
   * ARNs of the clusters with at least one stored task, instance or service, sorted; with
   * `scope`, only those of that partition, region and account.
   * Costs one round trip per cluster, however many records each holds.
   */
  async storedClusterArns(options: { scope?: ArnScope } = {}): Promise<string[]> {
    const [tasksRoot, instancesRoot, servicesRoot] = this.roots(options.scope);
    const revision = await this.store.currentRevision();
    const clusters = new Set<string>();
    const scans: [string, (arn: string) => ReturnType<typeof clusterTasksPrefix>][] = [
      [tasksRoot, (arn) => clusterTasksPrefix(this.prefix, arn)],
      [instancesRoot, (arn) => clusterInstancesPrefix(this.prefix, arn)],
      [servicesRoot, (arn) => clusterServicesPrefix(this.prefix, arn)],
    ];
    await Promise.all(
      scans.map(async ([root, clusterPrefix]) => {
        const { groups } = await this.store.listGroups(
          root,
          (key) => {
            const parsed = parseKey(this.prefix, key);
            const group = parsed === null ? null : clusterPrefix(parsed.clusterArn);
            return group?.ok ? group.value : null;
          },
          { revision },
        );
        for (const group of groups) {
          const parsed = parseKey(this.prefix, group.firstKey);
          if (parsed !== null) clusters.add(parsed.clusterArn);
        }
      }),
    );
    return [...clusters].sort();
  }

  /** No task, instance or service is stored at all; with `scope`, none of that partition, region and account. */
  async isEmpty(options: { scope?: ArnScope } = {}): Promise<boolean> {
    if (options.scope === undefined) return this.store.isEmpty(this.rootPrefix);
    const empty = await Promise.all(this.roots(options.scope).map((root) => this.store.isEmpty(root)));
    return empty.every(Boolean);
  }

  /** The task, instance and service ranges of a scope, or of everything. */
  private roots(scope: ArnScope | undefined): [string, string, string] {
    if (scope === undefined) return [allTasksPrefix(this.prefix), allInstancesPrefix(this.prefix), allServicesPrefix(this.prefix)];
    const tasks = scopeTasksPrefix(this.prefix, scope);
    const instances = scopeInstancesPrefix(this.prefix, scope);
    const services = scopeServicesPrefix(this.prefix, scope);
    if (!tasks.ok) throw new InvalidStoreArgumentError(tasks.message);
    if (!instances.ok) throw new InvalidStoreArgumentError(instances.message);
    if (!services.ok) throw new InvalidStoreArgumentError(services.message);
    return [tasks.value, instances.value, services.value];
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

  /** When etcd last accepted a put or delete of this store (ms since the epoch); undefined before the first. */
  lastWriteAt(): number | undefined {
    return this.store.lastWriteAt();
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

function isService(item: StoredRecord<StateRecord>): item is StoredRecord<ServiceState> {
  return item.record.kind === 'service';
}
