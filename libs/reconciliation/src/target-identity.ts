import { describeScope, parseClusterArn, partitionOfRegion, type ArnScope, type Partition } from '@ecs-state/domain';

/** ECS answered for an account or region other than its target's, or a cluster lies outside every target. */
export class TargetMismatchError extends Error {
  override readonly name = 'TargetMismatchError';
}

/**
 * The partition, region and account one ECS client reads: the only part of the store
 * a reconcile through that client may change. The region (and with it the partition)
 * is the client's; the account is configured, or learned from the first cluster ARN
 * ECS returns, since every ARN an ECS endpoint returns names the caller's account.
 */
export class TargetIdentity {
  private knownAccount: string | undefined;
  private seenFromEcs = false;

  constructor(
    readonly partition: Partition,
    readonly region: string,
    account?: string,
  ) {
    this.knownAccount = account;
  }

  /** A target in `region`, of the partition that region belongs to. */
  static ofRegion(region: string, account?: string): TargetIdentity {
    return new TargetIdentity(partitionOfRegion(region), region, account);
  }

  get account(): string | undefined {
    return this.knownAccount;
  }

  /** Null until the account is known. */
  get scope(): ArnScope | null {
    return this.knownAccount === undefined ? null : { partition: this.partition, region: this.region, account: this.knownAccount };
  }

  /** `<partition>/<region>/<account>`, the name of the target in reports, logs and metrics. */
  get id(): string {
    return describeScope({ partition: this.partition, region: this.region, account: this.knownAccount ?? '(account unknown)' });
  }

  /** ECS has returned at least one cluster ARN, and all of them lay in this target. */
  get confirmed(): boolean {
    return this.seenFromEcs;
  }

  /** The cluster lies in this target; false while the account is unknown. */
  owns(cluster: ArnScope): boolean {
    return this.mayOwn(cluster) && this.knownAccount !== undefined;
  }

  /** Same partition and region, and the same account unless the account is still unknown. */
  mayOwn(cluster: ArnScope): boolean {
    return (
      cluster.partition === this.partition &&
      cluster.region === this.region &&
      (this.knownAccount === undefined || cluster.account === this.knownAccount)
    );
  }

  /**
   * Checks cluster ARNs that this target's ECS client returned: each must lie in the
   * target (else the credentials or the endpoint reach another account or region, and
   * nothing may be written or deleted on their word). An unknown account is learned
   * from the first.
   */
  confirm(clusterArns: Iterable<string>): void {
    for (const arn of clusterArns) {
      const cluster = parseClusterArn(arn);
      if (!cluster.ok) throw new TargetMismatchError(`target ${this.id}: ECS returned ${JSON.stringify(arn)}, not a cluster ARN`);
      if (!this.mayOwn(cluster.value)) {
        throw new TargetMismatchError(
          `target ${this.id}: ECS answered with ${arn}, of ${describeScope(cluster.value)}: the target's credentials or endpoint reach another account or region`,
        );
      }
      this.knownAccount ??= cluster.value.account;
      this.seenFromEcs = true;
    }
  }
}
