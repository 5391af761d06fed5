import { ok } from '../result/result';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import type { ArnFormat } from './scoped-resource-arn';
import { formatScopedResourceArn, parseScopedResourceArn } from './scoped-resource-arn';
import type { ArnScope } from './arn-components';

export interface TaskArn extends ArnScope {
  readonly kind: 'task';
  readonly arn: string;
  readonly format: ArnFormat;
  readonly clusterName?: string;
  readonly taskId: string;
}

export function parseTaskArn(value: string): ArnResult<TaskArn> {
  const parsed = parseScopedResourceArn(value, 'task', 'task');
  if (!parsed.ok) return parsed;
  const { id, ...rest } = parsed.value;
  return ok({ kind: 'task', ...rest, taskId: id });
}

export interface TaskArnInput extends ScopeInput {
  readonly clusterName?: string;
  readonly taskId: string;
}

/** New-format ARN when `clusterName` is given, old format otherwise. */
export function formatTaskArn(parts: TaskArnInput): ArnResult<string> {
  return formatScopedResourceArn({ ...parts, id: parts.taskId }, 'task', 'task');
}
