import { fail, ok } from '../result/result';
import type { Result } from '../result/result';
import { quote } from '../text/quote';
import { isClusterName } from './arn-components';
import type { ClusterArn } from './cluster-arn';
import { parseClusterArn } from './cluster-arn';

/** How a caller names a cluster: by bare name, or by full ARN. */
export type ClusterRef =
  | { readonly kind: 'name'; readonly clusterName: string }
  | { readonly kind: 'arn'; readonly clusterName: string; readonly arn: ClusterArn };

export type ClusterRefRejectReason = 'invalid_arn' | 'invalid_cluster_name';

/** Anything starting with `arn:` is read as an ARN, everything else as a name. */
export function parseClusterRef(nameOrArn: string): Result<ClusterRef, ClusterRefRejectReason> {
  if (nameOrArn.startsWith('arn:')) {
    const parsed = parseClusterArn(nameOrArn);
    if (!parsed.ok) return parsed;
    return ok({ kind: 'arn', clusterName: parsed.value.clusterName, arn: parsed.value });
  }
  if (!isClusterName(nameOrArn)) {
    return fail('invalid_cluster_name', `cluster name ${quote(nameOrArn)} is invalid (1-255 letters, digits, '-' or '_')`);
  }
  return ok({ kind: 'name', clusterName: nameOrArn });
}

/** A name matches a cluster of that name in any account/region; an ARN matches only itself. */
export function clusterRefMatches(ref: ClusterRef, cluster: ClusterArn): boolean {
  if (ref.kind === 'name') return ref.clusterName === cluster.clusterName;
  return (
    ref.arn.partition === cluster.partition &&
    ref.arn.region === cluster.region &&
    ref.arn.account === cluster.account &&
    ref.arn.clusterName === cluster.clusterName
  );
}
