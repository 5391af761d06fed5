import type { ECSClient } from '@aws-sdk/client-ecs';
import {
  clusterRefMatches,
  emptyCounts,
  keyForRecord,
  parseClusterArn,
  parseClusterRef,
  parseKey,
  scopeInstancesPrefix,
  scopeServicesPrefix,
  scopeTasksPrefix,
  type ArnScope,
  type ClusterDriftReport,
  type ClusterRef,
  type DriftCounts,
  type ServiceState,
  type StateRecord,
  type VersionedState,
} from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { CountedEcs } from './counted-ecs';
import { normalizeEcsState } from './normalize-ecs-state';
import { readClusterFromEcs } from './read-cluster';
import { TargetIdentity, TargetMismatchError } from './target-identity';

export interface ReconcilerOptions {
  ecs: ECSClient;
  /** The store to repair; it and its etcd client stay the caller's to close. */
  store: ClusterStateStore;
  /**
   * The partition, region and account `ecs` reads, the only records this reconciler
   * changes. Default: the client's region, with the account learned from the first
   * cluster ARN ECS returns.
   */
  target?: TargetIdentity;
  /** Describe calls of one cluster in flight at once (the request budget still applies). */
  describeParallelism?: number;
}

export interface ReconcileClusterOptions {
  signal?: AbortSignal;
}

/**
 * Repairs the stored state of the clusters of one target (a partition, region and
 * account: what its ECS client reads) so that it equals what the ECS API reports.
 * Records of other accounts and regions are never read as this target's, so never
 * deleted as clusters ECS no longer has.
 */
export class Reconciler {
  readonly store: ClusterStateStore;
  private identity: Promise<TargetIdentity> | undefined;

  constructor(private readonly options: ReconcilerOptions) {
    this.store = options.store;
    if (options.target !== undefined) this.identity = Promise.resolve(options.target);
  }

  /** The target this reconciler repairs. */
  target(): Promise<TargetIdentity> {
    this.identity ??= this.options.ecs.config.region().then((region) => TargetIdentity.ofRegion(region));
    return this.identity;
  }

  /**
   * Nothing is stored in the target's account and region yet: the service starts from
   * scratch there and should reconcile at once. An unknown account is looked up first
   * (ListClusters); while ECS lists no cluster to name it, false: there is nothing to fill in.
   */
  async storeIsEmpty(): Promise<boolean> {
    const target = await this.target();
    if (target.scope === null) target.confirm(await new CountedEcs(this.options.ecs).listClusterArns());
    const scope = target.scope;
    return scope === null ? false : this.store.isEmpty({ scope });
  }

  /**
   * The cluster ARNs a run covers, all in the target. Every cluster: those ECS lists
   * plus those the store still has records of in the target's account and region (so
   * that deleted clusters lose them). A list of names or ARNs: ARNs of another account
   * or region are not this target's and are left out; of the others, those ECS knows,
   * and the stored clusters of the target they name. A name applies within the target.
   */
  async planClusters(requested: readonly string[] | null): Promise<string[]> {
    const target = await this.target();
    const ecs = new CountedEcs(this.options.ecs);
    if (requested === null) {
      const listed = await ecs.listClusterArns();
      target.confirm(listed);
      return [...new Set([...listed, ...(await this.storedClusters(target, null))])].sort();
    }
    const refs = this.targetRefs(target, requested);
    if (refs.length === 0) return [];
    const planned = new Set<string>();
    const { clusters } = await ecs.describeClusters(refs.map(refText));
    const described = clusters.map((c) => c.clusterArn).filter((arn): arn is string => arn !== undefined);
    target.confirm(described);
    for (const c of clusters) if (c.status !== 'INACTIVE' && c.clusterArn !== undefined) planned.add(c.clusterArn);
    for (const arn of await this.storedClusters(target, refs)) planned.add(arn);
    // Asked for by ARN and unknown to ECS: reconciled as removed, so its records go.
    for (const ref of refs) if (ref.kind === 'arn' && target.owns(ref.arn)) planned.add(ref.arn.arn);
    return [...planned].sort();
  }

  /**
   * The stored clusters of the target that `requested` names (null: all), without asking
   * ECS anything but, while the account is unknown, nothing. What a run can still cover
   * when ECS could not be listed: each of these then fails or is repaired on its own.
   */
  async storedClustersFor(requested: readonly string[] | null): Promise<string[]> {
    const target = await this.target();
    return this.storedClusters(target, requested === null ? null : this.targetRefs(target, requested));
  }

  private targetRefs(target: TargetIdentity, requested: readonly string[]): ClusterRef[] {
    const refs: ClusterRef[] = [];
    for (const text of requested) {
      const ref = parseClusterRef(text);
      if (ref.ok && (ref.value.kind === 'name' || target.mayOwn(ref.value.arn))) refs.push(ref.value);
    }
    return refs;
  }

  private async storedClusters(target: TargetIdentity, refs: readonly ClusterRef[] | null): Promise<string[]> {
    const scope = target.scope;
    if (scope === null) return [];
    const stored = await this.store.storedClusterArns({ scope });
    if (refs === null) return stored;
    return stored.filter((arn) => {
      const cluster = parseClusterArn(arn);
      return cluster.ok && refs.some((ref) => clusterRefMatches(ref, cluster.value));
    });
  }

  /**
   * One cluster's reconcile; the cluster must lie in the target:
   * 1. list the cluster's stored keys at the current store revision R, before reading ECS;
   * 2. read ECS (or learn that the cluster is gone, once ECS has shown that these
   *    credentials read the target's account);
   * 3. upsert-if-newer every task and instance: a newer event-sourced record wins, an equal one is
   *    not rewritten; merge every service snapshot by the ordering rule (one that changes nothing is not written);
   * 4. delete stored records ECS no longer has, only if unchanged since R, so a record
   *    written by an event during the run survives.
   */
  async reconcileCluster(clusterArn: string, options: ReconcileClusterOptions = {}): Promise<ClusterDriftReport> {
    const started = performance.now();
    const target = await this.target();
    const cluster = parseClusterArn(clusterArn);
    if (!cluster.ok) throw new TargetMismatchError(`target ${target.id}: ${cluster.message}`);
    if (!target.mayOwn(cluster.value)) throw new TargetMismatchError(`cluster ${clusterArn} is outside target ${target.id}`);
    const ecs = new CountedEcs(this.options.ecs, options.signal);
    const stored = await this.store.clusterKeys(clusterArn);
    const startRevision = stored.revision;
    const storedKeys = new Set([...stored.taskKeys, ...stored.instances.keys(), ...stored.serviceKeys]);
    const knownInstanceArns = [...stored.instances.values()].filter((arn): arn is string => arn !== undefined);

    const described = await ecs.describeClusters([clusterArn]);
    const exists = described.clusters.some((c) => c.clusterArn === clusterArn && c.status !== 'INACTIVE');
    if (exists) target.confirm([clusterArn]);
    // Before deleting a cluster's records on ECS's word that it is gone, make sure these
    // credentials read this account at all: a role of another account knows no cluster here either.
    else if (!target.confirmed) target.confirm(await ecs.listClusterArns());
    const scope = target.scope;
    if (scope === null || !target.owns(cluster.value)) {
      throw new TargetMismatchError(`target ${target.id}: ECS lists no cluster that names the account, so the records of ${clusterArn} are left alone`);
    }
    const normalized = exists
      ? normalizeEcsState(clusterArn, await readClusterFromEcs(ecs, clusterArn, this.options.describeParallelism ?? 4, knownInstanceArns))
      : { records: [], errors: [] };
    options.signal?.throwIfAborted();
    const counts = { task: emptyCounts(), instance: emptyCounts(), service: emptyCounts() };
    const errors = [...normalized.errors];
    const inScope = scopeRanges(this.store, scope);

    const writable: VersionedState[] = [];
    const services: ServiceState[] = [];
    const seen = new Set<string>();
    for (const state of normalized.records) {
      const key = keyForRecord(this.store.prefix, state);
      if (!key.ok) {
        errors.push(`${state.kind} in ${clusterArn}: ${key.message}`);
        continue;
      }
      if (!inScope(key.value)) {
        errors.push(`${state.kind} in ${clusterArn}: ${key.value} is outside target ${target.id}`);
        continue;
      }
      seen.add(key.value);
      if (state.kind === 'service') services.push(state);
      else writable.push(state);
    }
    const outcomes = await this.store.upsert(writable);
    outcomes.forEach((outcome, i) => {
      const kind = (writable[i] as StateRecord).kind;
      count(counts[kind], outcome.status === 'stale', storedKeys.has(outcome.key));
    });
    for (const outcome of await this.store.mergeServices(services)) {
      count(counts.service, outcome.status === 'unchanged', storedKeys.has(outcome.key));
    }

    const gone = [...storedKeys].filter((key) => !seen.has(key) && inScope(key));
    const deletions = await this.store.deleteIfUnchangedSince(gone.map((key) => ({ key, revision: startRevision })));
    for (const outcome of deletions) {
      const kind = parseKey(this.store.prefix, outcome.key)?.kind;
      if (kind === undefined) continue;
      if (outcome.status === 'deleted') counts[kind].deleted += 1;
      // 'newer': an event rewrote it during the run, so ECS's listing was older than it; it stays.
      else if (outcome.status === 'newer') counts[kind].unchanged += 1;
    }

    return {
      cluster: clusterArn,
      target: target.id,
      outcome: exists ? 'reconciled' : 'removed',
      tasks: counts.task,
      instances: counts.instance,
      services: counts.service,
      ecsCalls: ecs.calls,
      durationMs: Math.round(performance.now() - started),
      errors,
    };
  }
}

/** A record ECS reported: left as it was, rewritten, or new to the store. */
function count(bucket: DriftCounts, unchanged: boolean, wasStored: boolean): void {
  if (unchanged) bucket.unchanged += 1;
  else if (wasStored) bucket.updated += 1;
  else bucket.added += 1;
}

function refText(ref: ClusterRef): string {
  return ref.kind === 'arn' ? ref.arn.arn : ref.clusterName;
}

/** Whether a key lies in the target's account and region, by its task, instance or service range. */
function scopeRanges(store: ClusterStateStore, scope: ArnScope): (key: string) => boolean {
  const prefixes: string[] = [];
  for (const range of [scopeTasksPrefix(store.prefix, scope), scopeInstancesPrefix(store.prefix, scope), scopeServicesPrefix(store.prefix, scope)]) {
    if (!range.ok) throw new TargetMismatchError(range.message);
    prefixes.push(range.value);
  }
  return (key) => prefixes.some((prefix) => key.startsWith(prefix));
}
