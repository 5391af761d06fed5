import { fail, ok } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { isClusterName } from './arn-components';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import { joinEcsArn, splitEcsArn, validateScope } from './ecs-arn';

export interface ClusterArn extends ArnScope {
  readonly kind: 'cluster';
  readonly arn: string;
  readonly clusterName: string;
}

const CLUSTER_RESOURCE = /^cluster\/(.*)$/s;

export function parseClusterArn(value: string): ArnResult<ClusterArn> {
  const split = splitEcsArn(value, 'cluster');
  if (!split.ok) return split;
  const match = CLUSTER_RESOURCE.exec(split.value.resource);
  if (!match) {
    return fail('invalid_arn', `cluster ARN ${quote(value)} has resource ${quote(split.value.resource)}, expected cluster/<name>`);
  }
  const clusterName = match[1] ?? '';
  if (!isClusterName(clusterName)) {
    return fail('invalid_arn', `cluster ARN ${quote(value)} has invalid cluster name ${quote(clusterName)} (1-255 letters, digits, '-' or '_')`);
  }
  const { partition, region, account } = split.value;
  return ok({ kind: 'cluster', arn: value, partition, region, account, clusterName });
}

export function clusterNameFromArn(value: string): ArnResult<string> {
  const parsed = parseClusterArn(value);
  return parsed.ok ? ok(parsed.value.clusterName) : parsed;
}

export interface ClusterArnInput extends ScopeInput {
  readonly clusterName: string;
}

export function formatClusterArn(parts: ClusterArnInput): ArnResult<string> {
  const scope = validateScope(parts, 'cluster');
  if (!scope.ok) return scope;
  if (!isClusterName(parts.clusterName)) {
    return fail('invalid_arn', `cannot build cluster ARN: invalid cluster name ${quote(parts.clusterName)}`);
  }
  return ok(joinEcsArn(scope.value, `cluster/${parts.clusterName}`));
}
