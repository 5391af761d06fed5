import { ok } from '../result/result';
import type { ArnScope } from './arn-components';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import type { ArnFormat } from './scoped-resource-arn';
import { formatScopedResourceArn, parseScopedResourceArn } from './scoped-resource-arn';

export interface ContainerInstanceArn extends ArnScope {
  readonly kind: 'container-instance';
  readonly arn: string;
  readonly format: ArnFormat;
  readonly clusterName?: string;
  readonly containerInstanceId: string;
}

export function parseContainerInstanceArn(value: string): ArnResult<ContainerInstanceArn> {
  const parsed = parseScopedResourceArn(value, 'container-instance', 'container instance');
  if (!parsed.ok) return parsed;
  const { id, ...rest } = parsed.value;
  return ok({ kind: 'container-instance', ...rest, containerInstanceId: id });
}

export interface ContainerInstanceArnInput extends ScopeInput {
  readonly clusterName?: string;
  readonly containerInstanceId: string;
}

/** New-format ARN when `clusterName` is given, old format otherwise. */
export function formatContainerInstanceArn(parts: ContainerInstanceArnInput): ArnResult<string> {
  return formatScopedResourceArn({ ...parts, id: parts.containerInstanceId }, 'container-instance', 'container instance');
}
