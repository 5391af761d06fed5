/**
 * Validators for the pieces of an ECS ARN. Every accepted value is drawn from
 * a character set without `/`, `.` or `%`, which is what lets store keys be
 * built from these pieces without escaping (see keys/).
 */

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'] as const;

export type Partition = (typeof PARTITIONS)[number];

const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const REGION_MAX_LENGTH = 32;
const ACCOUNT_PATTERN = /^\d{12}$/;
const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;
// Task and container-instance ids are 32 hex digits (current) or UUIDs (older
// ones); the wider set tolerates other id schemes without admitting separators.
const RESOURCE_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;
const TASK_DEFINITION_FAMILY_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

export function isRegion(value: string): boolean {
  return value.length <= REGION_MAX_LENGTH && REGION_PATTERN.test(value);
}

export function isAccountId(value: string): boolean {
  return ACCOUNT_PATTERN.test(value);
}

export function isClusterName(value: string): boolean {
  return CLUSTER_NAME_PATTERN.test(value);
}

export function isResourceId(value: string): boolean {
  return RESOURCE_ID_PATTERN.test(value);
}

export function isTaskDefinitionFamily(value: string): boolean {
  return TASK_DEFINITION_FAMILY_PATTERN.test(value);
}

/** Partition, region and account: the part of an ARN that places a resource. */
export interface ArnScope {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
}

export function sameScope(a: ArnScope, b: ArnScope): boolean {
  return a.partition === b.partition && a.region === b.region && a.account === b.account;
}

export function describeScope(scope: ArnScope): string {
  return `${scope.partition}/${scope.region}/${scope.account}`;
}
