import type { ArnScope } from '../arn/arn-components';
import { isAccountId, isPartition, isRegion } from '../arn/arn-components';
import type { ArnResult } from '../arn/arn-error';
import { parseClusterArn } from '../arn/cluster-arn';
import type { ClusterRef } from '../arn/cluster-ref';
import { parseClusterRef } from '../arn/cluster-ref';
import type { IdentityRejectReason } from '../arn/resource-identity';
import { resolveContainerInstanceIdentity, resolveServiceIdentity, resolveTaskIdentity } from '../arn/resource-identity';
import type { StateRecord } from '../records/state-record';
import { fail, ok } from '../result/result';
import type { Result } from '../result/result';
import { quote } from '../text/quote';
import type { KeyPrefix } from './key-prefix';
import { INSTANCES_SEGMENT, SERVICES_SEGMENT, TASKS_SEGMENT } from './key-segments';
import { parseKey } from './parse-key';

/**
 * Layout (README "Key layout"):
 *   <prefix>/tasks/<partition>/<region>/<account>/<clusterName>/<taskId>
 *   <prefix>/instances/<partition>/<region>/<account>/<clusterName>/<containerInstanceId>
 *   <prefix>/services/<partition>/<region>/<account>/<clusterName>/<serviceName>
 * Every component comes out of ARN validation, whose character sets exclude
 * `/`, so keys cannot leave their prefix and distinct resources cannot collide.
 */
export type KeyRejectReason = IdentityRejectReason;

function clusterPath(scope: ArnScope, clusterName: string): string {
  return `${scope.partition}/${scope.region}/${scope.account}/${clusterName}`;
}

export function allTasksPrefix(prefix: KeyPrefix): string {
  return `${prefix}/${TASKS_SEGMENT}/`;
}

export function allInstancesPrefix(prefix: KeyPrefix): string {
  return `${prefix}/${INSTANCES_SEGMENT}/`;
}

export function allServicesPrefix(prefix: KeyPrefix): string {
  return `${prefix}/${SERVICES_SEGMENT}/`;
}

function scopePath(scope: ArnScope): ArnResult<string> {
  // Re-validated: a hand-built scope must not widen the range or leave the prefix.
  if (!isPartition(scope.partition) || !isRegion(scope.region) || !isAccountId(scope.account)) {
    return fail('invalid_arn', `scope ${quote(`${scope.partition}/${scope.region}/${scope.account}`)} is not <partition>/<region>/<12-digit account>`);
  }
  return ok(`${scope.partition}/${scope.region}/${scope.account}`);
}

/**
 * Keys of every task of one partition, region and account (what one ECS endpoint
 * reads with one set of credentials). Ends with `/`, so account and region never
 * cover a longer one.
 */
export function scopeTasksPrefix(prefix: KeyPrefix, scope: ArnScope): ArnResult<string> {
  const path = scopePath(scope);
  return path.ok ? ok(`${allTasksPrefix(prefix)}${path.value}/`) : path;
}

/** Keys of every container instance of one partition, region and account; see `scopeTasksPrefix`. */
export function scopeInstancesPrefix(prefix: KeyPrefix, scope: ArnScope): ArnResult<string> {
  const path = scopePath(scope);
  return path.ok ? ok(`${allInstancesPrefix(prefix)}${path.value}/`) : path;
}

/** Keys of every service of one partition, region and account; see `scopeTasksPrefix`. */
export function scopeServicesPrefix(prefix: KeyPrefix, scope: ArnScope): ArnResult<string> {
  const path = scopePath(scope);
  return path.ok ? ok(`${allServicesPrefix(prefix)}${path.value}/`) : path;
}

/** Ends with `/`, so cluster `foo` never matches keys of cluster `foobar`. */
export function clusterServicesPrefix(prefix: KeyPrefix, clusterArn: string): ArnResult<string> {
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return cluster;
  return ok(`${allServicesPrefix(prefix)}${clusterPath(cluster.value, cluster.value.clusterName)}/`);
}

/** Ends with `/`, so cluster `foo` never matches keys of cluster `foobar`. */
export function clusterTasksPrefix(prefix: KeyPrefix, clusterArn: string): ArnResult<string> {
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return cluster;
  return ok(`${allTasksPrefix(prefix)}${clusterPath(cluster.value, cluster.value.clusterName)}/`);
}

/** Ends with `/`, so cluster `foo` never matches keys of cluster `foobar`. */
export function clusterInstancesPrefix(prefix: KeyPrefix, clusterArn: string): ArnResult<string> {
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return cluster;
  return ok(`${allInstancesPrefix(prefix)}${clusterPath(cluster.value, cluster.value.clusterName)}/`);
}

export function taskKey(prefix: KeyPrefix, task: { readonly taskArn: string; readonly clusterArn: string }): Result<string, KeyRejectReason> {
  const identity = resolveTaskIdentity(task.taskArn, task.clusterArn);
  if (!identity.ok) return identity;
  const { clusterName, taskId } = identity.value;
  return ok(`${allTasksPrefix(prefix)}${clusterPath(identity.value, clusterName)}/${taskId}`);
}

export function instanceKey(
  prefix: KeyPrefix,
  instance: { readonly containerInstanceArn: string; readonly clusterArn: string },
): Result<string, KeyRejectReason> {
  const identity = resolveContainerInstanceIdentity(instance.containerInstanceArn, instance.clusterArn);
  if (!identity.ok) return identity;
  const { clusterName, containerInstanceId } = identity.value;
  return ok(`${allInstancesPrefix(prefix)}${clusterPath(identity.value, clusterName)}/${containerInstanceId}`);
}

export function serviceKey(prefix: KeyPrefix, service: { readonly serviceArn: string; readonly clusterArn: string }): Result<string, KeyRejectReason> {
  const identity = resolveServiceIdentity(service.serviceArn, service.clusterArn);
  if (!identity.ok) return identity;
  const { clusterName, serviceName } = identity.value;
  return ok(`${allServicesPrefix(prefix)}${clusterPath(identity.value, clusterName)}/${serviceName}`);
}

export function keyForRecord(prefix: KeyPrefix, state: StateRecord): Result<string, KeyRejectReason> {
  if (state.kind === 'task') return taskKey(prefix, state.record);
  return state.kind === 'instance' ? instanceKey(prefix, state.record) : serviceKey(prefix, state.record);
}

/** A range to read (`prefix`) and the test each key in it must pass. */
export interface KeyScan {
  readonly prefix: string;
  readonly matches: (key: string) => boolean;
}

/**
 * Keys of one cluster's tasks. A cluster ARN maps to one exact prefix; a bare
 * name may exist in several accounts or regions, so it scans all tasks and
 * filters by cluster name. A ref not produced by `parseClusterRef` matches nothing.
 */
export function clusterTasksScan(prefix: KeyPrefix, ref: ClusterRef): KeyScan {
  return clusterScan(prefix, ref, 'task');
}

/** Keys of one cluster's container instances; see `clusterTasksScan`. */
export function clusterInstancesScan(prefix: KeyPrefix, ref: ClusterRef): KeyScan {
  return clusterScan(prefix, ref, 'instance');
}

/** Keys of one cluster's services; see `clusterTasksScan`. */
export function clusterServicesScan(prefix: KeyPrefix, ref: ClusterRef): KeyScan {
  return clusterScan(prefix, ref, 'service');
}

const ALL_PREFIX_OF_KIND = { task: allTasksPrefix, instance: allInstancesPrefix, service: allServicesPrefix } as const;

function clusterScan(prefix: KeyPrefix, ref: ClusterRef, kind: 'task' | 'instance' | 'service'): KeyScan {
  const allPrefix = ALL_PREFIX_OF_KIND[kind](prefix);
  // Re-validate: a hand-built ref must not widen or escape the scan.
  const checked = parseClusterRef(ref.kind === 'arn' ? ref.arn.arn : ref.clusterName);
  if (!checked.ok) {
    return { prefix: allPrefix, matches: () => false };
  }
  const validRef = checked.value;
  const scanPrefix =
    validRef.kind === 'arn' ? `${allPrefix}${clusterPath(validRef.arn, validRef.clusterName)}/` : allPrefix;
  return {
    prefix: scanPrefix,
    matches: (key) => {
      if (!key.startsWith(scanPrefix)) return false;
      const parsed = parseKey(prefix, key);
      return parsed !== null && parsed.kind === kind && parsed.clusterName === validRef.clusterName;
    },
  };
}
