import { fail, ok } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { isAccountId, isPartition, isRegion, PARTITIONS } from './arn-components';
import type { ArnResult } from './arn-error';

// Longest ARN ECS can produce is well below this (cluster name 255 + scope).
const MAX_ARN_LENGTH = 1024;
const ARN_PATTERN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.*)$/s;

export interface SplitArn extends ArnScope {
  /** Everything after the account, e.g. `task/my-cluster/0123abcd`. */
  readonly resource: string;
}

/**
 * Splits an `arn:<partition>:ecs:<region>:<account>:<resource>` string and
 * validates the scope. `what` names the ARN kind in messages.
 */
export function splitEcsArn(value: string, what: string): ArnResult<SplitArn> {
  if (value.length > MAX_ARN_LENGTH) {
    return fail('invalid_arn', `${what} ARN is longer than ${MAX_ARN_LENGTH} characters`);
  }
  const match = ARN_PATTERN.exec(value);
  if (!match) {
    return fail('invalid_arn', `${what} ARN ${quote(value)} is not of the form arn:<partition>:ecs:<region>:<account>:<resource>`);
  }
  const [, partition = '', service = '', region = '', account = '', resource = ''] = match;
  if (!isPartition(partition)) {
    return fail('invalid_arn', `${what} ARN ${quote(value)} has unknown partition ${quote(partition)} (expected one of ${PARTITIONS.join(', ')})`);
  }
  if (service !== 'ecs') {
    return fail('invalid_arn', `${what} ARN ${quote(value)} has service ${quote(service)}, expected "ecs"`);
  }
  if (!isRegion(region)) {
    return fail('invalid_arn', `${what} ARN ${quote(value)} has invalid region ${quote(region)}`);
  }
  if (!isAccountId(account)) {
    return fail('invalid_arn', `${what} ARN ${quote(value)} has invalid account ${quote(account)} (expected 12 digits)`);
  }
  return ok({ partition, region, account, resource });
}

export function joinEcsArn(scope: ArnScope, resource: string): string {
  return `arn:${scope.partition}:ecs:${scope.region}:${scope.account}:${resource}`;
}

/** Validates caller-supplied scope parts before an ARN is built from them. */
export function validateScope(parts: { readonly partition: string; readonly region: string; readonly account: string }, what: string): ArnResult<ArnScope> {
  if (!isPartition(parts.partition)) {
    return fail('invalid_arn', `cannot build ${what} ARN: unknown partition ${quote(parts.partition)}`);
  }
  if (!isRegion(parts.region)) {
    return fail('invalid_arn', `cannot build ${what} ARN: invalid region ${quote(parts.region)}`);
  }
  if (!isAccountId(parts.account)) {
    return fail('invalid_arn', `cannot build ${what} ARN: invalid account ${quote(parts.account)} (expected 12 digits)`);
  }
  return ok({ partition: parts.partition, region: parts.region, account: parts.account });
}

/** Input of the format helpers: scope parts as plain strings, checked on use. */
export interface ScopeInput {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}
