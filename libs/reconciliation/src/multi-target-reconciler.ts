import type { ECSClient } from '@aws-sdk/client-ecs';
import { parseClusterArn, parseClusterRef, type ClusterDriftReport } from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { Reconciler, type ReconcileClusterOptions } from './reconciler';
import { TargetMismatchError, type TargetIdentity } from './target-identity';

export interface ReconcileTargetClient {
  target: TargetIdentity;
  /** The target's own ECS client: its region, credentials, endpoint and request budget. */
  ecs: ECSClient;
}

export interface MultiTargetReconcilerOptions {
  targets: readonly ReconcileTargetClient[];
  store: ClusterStateStore;
  describeParallelism?: number;
  /** Planning of one target failed; the run goes on with the others. */
  onPlanFailure?(target: string, error: unknown): void;
  /** Requested cluster ARNs of an account or region that no target reads: not planned. */
  onOutsideTargets?(clusters: readonly string[]): void;
}

interface Entry {
  target: TargetIdentity;
  reconciler: Reconciler;
}

/**
 * The reconcile of several targets (accounts and regions) into one store: a run plans
 * each target with its own client, and a cluster is reconciled by the target its ARN
 * names. A cluster name applies to every target that has a cluster of that name.
 */
export class MultiTargetReconciler {
  private readonly entries: readonly Entry[];

  constructor(private readonly options: MultiTargetReconcilerOptions) {
    if (options.targets.length === 0) throw new RangeError('at least one target is needed');
    this.entries = options.targets.map(({ target, ecs }) => ({
      target,
      reconciler: new Reconciler({ ecs, store: options.store, target, describeParallelism: options.describeParallelism ?? 4 }),
    }));
  }

  get targets(): readonly TargetIdentity[] {
    return this.entries.map((e) => e.target);
  }

  /**
   * The union of every target's plan. A target whose ECS cannot be listed contributes
   * its stored clusters (their reconciles then fail or succeed one by one, so the run's
   * report names each of them and why). The plan fails only when no target could be
   * listed and none has a stored cluster to plan either.
   */
  async planClusters(requested: readonly string[] | null): Promise<string[]> {
    if (requested !== null) this.reportOutsideTargets(requested);
    const results = await Promise.allSettled(this.entries.map((e) => e.reconciler.planClusters(requested)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ entry: this.entries[i] as Entry, error: r.reason as unknown }] : []));
    const planned = new Set<string>();
    for (const r of results) if (r.status === 'fulfilled') for (const arn of r.value) planned.add(arn);
    for (const { entry, error } of failed) {
      this.options.onPlanFailure?.(entry.target.id, error);
      const stored = await entry.reconciler.storedClustersFor(requested).catch(() => []);
      for (const arn of stored) planned.add(arn);
    }
    if (failed.length === this.entries.length && planned.size === 0) throw failed[0]?.error;
    return [...planned].sort();
  }

  /** Reconciles a cluster through the target its ARN names. */
  reconcileCluster(clusterArn: string, options: ReconcileClusterOptions = {}): Promise<ClusterDriftReport> {
    const entry = this.entryOf(clusterArn);
    if (entry === undefined) {
      return Promise.reject(
        new TargetMismatchError(`no target of this reconciler reads ${clusterArn} (targets: ${this.entries.map((e) => e.target.id).join(', ')})`),
      );
    }
    return entry.reconciler.reconcileCluster(clusterArn, options);
  }

  /** The target that reads a cluster ARN: the one of its account, else one whose account is still unknown. */
  targetOf(clusterArn: string): TargetIdentity | undefined {
    return this.entryOf(clusterArn)?.target;
  }

  /** Targets with nothing stored in their account and region (see Reconciler.storeIsEmpty). */
  async emptyTargets(onError?: (target: string, error: unknown) => void): Promise<string[]> {
    const results = await Promise.allSettled(this.entries.map((e) => e.reconciler.storeIsEmpty()));
    const empty: string[] = [];
    results.forEach((r, i) => {
      const { target } = this.entries[i] as Entry;
      if (r.status === 'rejected') onError?.(target.id, r.reason);
      else if (r.value) empty.push(target.id);
    });
    return empty;
  }

  private entryOf(clusterArn: string): Entry | undefined {
    const cluster = parseClusterArn(clusterArn);
    if (!cluster.ok) return undefined;
    return this.entries.find((e) => e.target.owns(cluster.value)) ?? this.entries.find((e) => e.target.mayOwn(cluster.value));
  }

  private reportOutsideTargets(requested: readonly string[]): void {
    const outside = requested.filter((text) => {
      const ref = parseClusterRef(text);
      if (!ref.ok || ref.value.kind !== 'arn') return false;
      const { arn } = ref.value;
      return !this.entries.some((e) => e.target.mayOwn(arn));
    });
    if (outside.length > 0) this.options.onOutsideTargets?.(outside);
  }
}
