import { fail, ok } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { isClusterName } from './arn-components';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import { joinEcsArn, splitEcsArn, validateScope } from './ecs-arn';
import type { ArnFormat } from './scoped-resource-arn';

/**
 * A service ARN: `service/<cluster-name>/<service-name>` (new format) or
 * `service/<service-name>` (old format, which does not name its cluster).
 * Service names follow the cluster-name rule: 1-255 of `A-Z a-z 0-9 - _`.
 */
export interface ServiceArn extends ArnScope {
  readonly kind: 'service';
  readonly arn: string;
  readonly format: ArnFormat;
  readonly clusterName?: string;
  readonly serviceName: string;
}

export function isServiceName(value: string): boolean {
  return isClusterName(value);
}

export function parseServiceArn(value: string): ArnResult<ServiceArn> {
  const split = splitEcsArn(value, 'service');
  if (!split.ok) return split;
  const { partition, region, account, resource } = split.value;
  const expected = 'expected service/<name> or service/<cluster-name>/<name>';
  if (!resource.startsWith('service/')) {
    return fail('invalid_arn', `service ARN ${quote(value)} has resource ${quote(resource)}, ${expected}`);
  }
  const segments = resource.slice('service/'.length).split('/');
  if (segments.length > 2) {
    return fail('invalid_arn', `service ARN ${quote(value)} has too many path segments, ${expected}`);
  }
  const serviceName = segments[segments.length - 1] ?? '';
  if (!isServiceName(serviceName)) {
    return fail('invalid_arn', `service ARN ${quote(value)} has invalid service name ${quote(serviceName)} (1-255 letters, digits, '-' or '_')`);
  }
  if (segments.length === 1) {
    return ok({ kind: 'service', arn: value, partition, region, account, format: 'old', serviceName });
  }
  const clusterName = segments[0] ?? '';
  if (!isClusterName(clusterName)) {
    return fail('invalid_arn', `service ARN ${quote(value)} has invalid cluster name ${quote(clusterName)} (1-255 letters, digits, '-' or '_')`);
  }
  return ok({ kind: 'service', arn: value, partition, region, account, format: 'new', clusterName, serviceName });
}

export interface ServiceArnInput extends ScopeInput {
  readonly clusterName?: string;
  readonly serviceName: string;
}

/** New-format ARN when `clusterName` is given, old format otherwise. */
export function formatServiceArn(parts: ServiceArnInput): ArnResult<string> {
  const scope = validateScope(parts, 'service');
  if (!scope.ok) return scope;
  if (!isServiceName(parts.serviceName)) {
    return fail('invalid_arn', `cannot build service ARN: invalid service name ${quote(parts.serviceName)}`);
  }
  if (parts.clusterName === undefined) return ok(joinEcsArn(scope.value, `service/${parts.serviceName}`));
  if (!isClusterName(parts.clusterName)) {
    return fail('invalid_arn', `cannot build service ARN: invalid cluster name ${quote(parts.clusterName)}`);
  }
  return ok(joinEcsArn(scope.value, `service/${parts.clusterName}/${parts.serviceName}`));
}
