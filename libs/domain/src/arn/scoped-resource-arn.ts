import { fail, ok } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { isClusterName, isResourceId } from './arn-components';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import { joinEcsArn, splitEcsArn, validateScope } from './ecs-arn';

/**
 * Tasks and container instances share one ARN grammar:
 *   old format: `<type>/<id>`
 *   new format: `<type>/<cluster-name>/<id>`
 */
export type ArnFormat = 'old' | 'new';

export interface ScopedResourceArn extends ArnScope {
  readonly arn: string;
  readonly format: ArnFormat;
  /** Present only in the new format; old-format ARNs do not name their cluster. */
  readonly clusterName?: string;
  readonly id: string;
}

export function parseScopedResourceArn(value: string, resourceType: string, what: string): ArnResult<ScopedResourceArn> {
  const split = splitEcsArn(value, what);
  if (!split.ok) return split;
  const { partition, region, account, resource } = split.value;
  const typePrefix = `${resourceType}/`;
  if (!resource.startsWith(typePrefix)) {
    return fail('invalid_arn', `${what} ARN ${quote(value)} has resource ${quote(resource)}, expected ${resourceType}/<id> or ${resourceType}/<cluster-name>/<id>`);
  }
  const segments = resource.slice(typePrefix.length).split('/');
  if (segments.length === 1) {
    const id = segments[0] ?? '';
    if (!isResourceId(id)) {
      return fail('invalid_arn', `${what} ARN ${quote(value)} has invalid id ${quote(id)}`);
    }
    return ok({ arn: value, partition, region, account, format: 'old', id });
  }
  if (segments.length === 2) {
    const clusterName = segments[0] ?? '';
    const id = segments[1] ?? '';
    if (!isClusterName(clusterName)) {
      return fail('invalid_arn', `${what} ARN ${quote(value)} has invalid cluster name ${quote(clusterName)} (1-255 letters, digits, '-' or '_')`);
    }
    if (!isResourceId(id)) {
      return fail('invalid_arn', `${what} ARN ${quote(value)} has invalid id ${quote(id)}`);
    }
    return ok({ arn: value, partition, region, account, format: 'new', clusterName, id });
  }
  return fail('invalid_arn', `${what} ARN ${quote(value)} has too many path segments, expected ${resourceType}/<id> or ${resourceType}/<cluster-name>/<id>`);
}

export interface ScopedResourceInput extends ScopeInput {
  /** Given: new-format ARN; omitted: old-format ARN. */
  readonly clusterName?: string;
  readonly id: string;
}

export function formatScopedResourceArn(parts: ScopedResourceInput, resourceType: string, what: string): ArnResult<string> {
  const scope = validateScope(parts, what);
  if (!scope.ok) return scope;
  if (!isResourceId(parts.id)) {
    return fail('invalid_arn', `cannot build ${what} ARN: invalid id ${quote(parts.id)}`);
  }
  if (parts.clusterName === undefined) {
    return ok(joinEcsArn(scope.value, `${resourceType}/${parts.id}`));
  }
  if (!isClusterName(parts.clusterName)) {
    return fail('invalid_arn', `cannot build ${what} ARN: invalid cluster name ${quote(parts.clusterName)}`);
  }
  return ok(joinEcsArn(scope.value, `${resourceType}/${parts.clusterName}/${parts.id}`));
}
