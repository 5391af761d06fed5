import { fail, ok } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { isTaskDefinitionFamily } from './arn-components';
import type { ArnResult } from './arn-error';
import type { ScopeInput } from './ecs-arn';
import { joinEcsArn, splitEcsArn, validateScope } from './ecs-arn';

export interface TaskDefinitionArn extends ArnScope {
  readonly kind: 'task-definition';
  readonly arn: string;
  readonly family: string;
  readonly revision: number;
}

const TASK_DEFINITION_RESOURCE = /^task-definition\/([^:]*):([0-9]{1,9})$/;

export function parseTaskDefinitionArn(value: string): ArnResult<TaskDefinitionArn> {
  const split = splitEcsArn(value, 'task definition');
  if (!split.ok) return split;
  const match = TASK_DEFINITION_RESOURCE.exec(split.value.resource);
  if (!match) {
    return fail('invalid_arn', `task definition ARN ${quote(value)} has resource ${quote(split.value.resource)}, expected task-definition/<family>:<revision>`);
  }
  const family = match[1] ?? '';
  const revision = Number(match[2]);
  if (!isTaskDefinitionFamily(family)) {
    return fail('invalid_arn', `task definition ARN ${quote(value)} has invalid family ${quote(family)}`);
  }
  if (revision < 1) {
    return fail('invalid_arn', `task definition ARN ${quote(value)} has revision ${revision}, expected 1 or more`);
  }
  const { partition, region, account } = split.value;
  return ok({ kind: 'task-definition', arn: value, partition, region, account, family, revision });
}

export interface TaskDefinitionArnInput extends ScopeInput {
  readonly family: string;
  readonly revision: number;
}

export function formatTaskDefinitionArn(parts: TaskDefinitionArnInput): ArnResult<string> {
  const scope = validateScope(parts, 'task definition');
  if (!scope.ok) return scope;
  if (!isTaskDefinitionFamily(parts.family)) {
    return fail('invalid_arn', `cannot build task definition ARN: invalid family ${quote(parts.family)}`);
  }
  if (!Number.isInteger(parts.revision) || parts.revision < 1 || parts.revision > 999_999_999) {
    return fail('invalid_arn', `cannot build task definition ARN: invalid revision ${String(parts.revision)}`);
  }
  return ok(joinEcsArn(scope.value, `task-definition/${parts.family}:${parts.revision}`));
}
