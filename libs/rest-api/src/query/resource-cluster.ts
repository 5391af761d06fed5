import { formatClusterArn, parseClusterRef } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';

/**
 * The cluster ARN a `{cluster}` path segment (name or ARN) designates for a
 * resource ARN, or null when they cannot belong together (→ not found).
 * A name takes partition, region and account from the resource ARN.
 */
export function clusterArnFor(
  cluster: string,
  resource: { partition: string; region: string; account: string; clusterName?: string },
): string | null {
  const ref = parseClusterRef(cluster);
  if (!ref.ok) throw new ApiError(400, MESSAGES.invalidCluster);
  if (resource.clusterName !== undefined && resource.clusterName !== ref.value.clusterName) return null;
  if (ref.value.kind === 'arn') {
    const { partition, region, account } = ref.value.arn;
    return partition === resource.partition && region === resource.region && account === resource.account ? ref.value.arn.arn : null;
  }
  const arn = formatClusterArn({ partition: resource.partition, region: resource.region, account: resource.account, clusterName: ref.value.clusterName });
  return arn.ok ? arn.value : null;
}
