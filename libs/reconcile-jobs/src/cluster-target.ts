import { describeScope, parseClusterArn } from '@ecs-state/domain';

/**
 * The target a cluster belongs to, `<partition>/<region>/<account>`: a reconciler
 * reconciles one account and region per target, so the ARN names it.
 */
export function targetOfCluster(clusterArn: string): string {
  const arn = parseClusterArn(clusterArn);
  return arn.ok ? describeScope(arn.value) : 'unknown';
}
