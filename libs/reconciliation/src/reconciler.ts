import type { ECSClient } from '@aws-sdk/client-ecs';
import { clusterRefMatches, keyForRecord, parseClusterArn, parseClusterRef, parseKey, type StateRecord } from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { CountedEcs } from './counted-ecs';
import { zeroCounts, type ClusterReconcileReport, type DriftCounts } from './drift-report';
import { normalizeEcsState } from './normalize-ecs-state';
import { readClusterFromEcs } from './read-cluster';

export interface ReconcilerOptions {
  ecs: ECSClient;
  /** The store to repair; it and its etcd client stay the caller's to close. */
  store: ClusterStateStore;
  /** Describe calls of one cluster in flight at once (the request budget still applies). */
  describeParallelism?: number;
}

export interface ReconcileClusterOptions {
  signal?: AbortSignal;
}

/** Repairs the stored state of clusters so that it equals what the ECS API reports. */
export class Reconciler {
  readonly store: ClusterStateStore;

  constructor(private readonly options: ReconcilerOptions) {
    this.store = options.store;
  }

  /** Nothing stored yet: the service starts from scratch and should reconcile at once. */
  storeIsEmpty(): Promise<boolean> {
    return this.store.isEmpty();
  }

  /**
   * The cluster ARNs a run covers. Every cluster: those ECS lists plus those the store
   * still has records of (so that deleted clusters lose them). A list of names or ARNs:
   * those ECS knows, and for the others the stored clusters they name.
   */
  async planClusters(requested: readonly string[] | null): Promise<string[]> {
    const ecs = new CountedEcs(this.options.ecs);
    const stored = await this.store.storedClusterArns();
    if (requested === null) {
      return [...new Set([...(await ecs.listClusterArns()), ...stored])].sort();
    }
    const planned = new Set<string>();
    const { clusters } = await ecs.describeClusters(requested);
    const active = clusters.filter((c) => c.status !== 'INACTIVE' && c.clusterArn !== undefined);
    for (const c of active) planned.add(c.clusterArn as string);
    for (const ref of requested) {
      const parsed = parseClusterRef(ref);
      if (!parsed.ok) continue;
      for (const arn of stored) {
        const cluster = parseClusterArn(arn);
        if (cluster.ok && clusterRefMatches(parsed.value, cluster.value)) planned.add(arn);
      }
      if (ref.startsWith('arn:') && parseClusterArn(ref).ok) planned.add(ref);
    }
    return [...planned].sort();
  }

  /**
   * One cluster's reconcile:
   * 1. list the cluster's stored keys at the current store revision R, before reading ECS;
   * 2. read ECS (or learn that the cluster is gone);
   * 3. upsert-if-newer every record: a newer event-sourced record wins, an equal one is not rewritten;
   * 4. delete stored records ECS no longer has, only if unchanged since R, so a record
   *    written by an event during the run survives.
   */
  async reconcileCluster(clusterArn: string, options: ReconcileClusterOptions = {}): Promise<ClusterReconcileReport> {
    const started = performance.now();
    const ecs = new CountedEcs(this.options.ecs, options.signal);
    const stored = await this.store.clusterKeys(clusterArn);
    const startRevision = stored.revision;
    const storedKeys = new Set([...stored.taskKeys, ...stored.instances.keys()]);
    const knownInstanceArns = [...stored.instances.values()].filter((arn): arn is string => arn !== undefined);

    const described = await ecs.describeClusters([clusterArn]);
    const exists = described.clusters.some((c) => c.clusterArn === clusterArn && c.status !== 'INACTIVE');
    const normalized = exists
      ? normalizeEcsState(clusterArn, await readClusterFromEcs(ecs, clusterArn, this.options.describeParallelism ?? 4, knownInstanceArns))
      : { records: [], errors: [] };
    options.signal?.throwIfAborted();
    const counts = { task: zeroCounts(), instance: zeroCounts() };
    const errors = [...normalized.errors];

    const writable: StateRecord[] = [];
    const seen = new Set<string>();
    for (const state of normalized.records) {
      const key = keyForRecord(this.store.prefix, state);
      if (!key.ok) {
        errors.push(`${state.kind} in ${clusterArn}: ${key.message}`);
        continue;
      }
      seen.add(key.value);
      writable.push(state);
    }
    const outcomes = await this.store.upsert(writable);
    outcomes.forEach((outcome, i) => {
      const kind = (writable[i] as StateRecord).kind;
      const bucket: DriftCounts = counts[kind];
      if (outcome.status === 'stale') bucket.unchanged += 1;
      else if (storedKeys.has(outcome.key)) bucket.updated += 1;
      else bucket.added += 1;
    });

    const gone = [...storedKeys].filter((key) => !seen.has(key));
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
      outcome: exists ? 'reconciled' : 'removed',
      tasks: counts.task,
      instances: counts.instance,
      ecsCalls: ecs.calls,
      durationMs: Math.round(performance.now() - started),
      errors,
    };
  }
}
