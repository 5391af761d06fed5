import { fail, ok } from '../result/result';
import type { Failure, Result } from '../result/result';
import { quote } from '../text/quote';
import type { ArnScope } from './arn-components';
import { describeScope, sameScope } from './arn-components';
import type { ArnRejectReason } from './arn-error';
import type { ClusterArn } from './cluster-arn';
import { parseClusterArn } from './cluster-arn';
import type { ContainerInstanceArn } from './container-instance-arn';
import { parseContainerInstanceArn } from './container-instance-arn';
import type { ServiceArn } from './service-arn';
import { parseServiceArn } from './service-arn';
import type { TaskArn } from './task-arn';
import { parseTaskArn } from './task-arn';

export type IdentityRejectReason = ArnRejectReason | 'arn_mismatch';

/**
 * Where a task lives, independent of its ARN format: old-format task ARNs do
 * not name their cluster, so the cluster comes from the cluster ARN.
 */
export interface TaskIdentity extends ArnScope {
  readonly clusterName: string;
  readonly taskId: string;
  readonly taskArn: TaskArn;
  readonly clusterArn: ClusterArn;
}

export interface ContainerInstanceIdentity extends ArnScope {
  readonly clusterName: string;
  readonly containerInstanceId: string;
  readonly containerInstanceArn: ContainerInstanceArn;
  readonly clusterArn: ClusterArn;
}

export function resolveTaskIdentity(taskArn: string, clusterArn: string): Result<TaskIdentity, IdentityRejectReason> {
  const task = parseTaskArn(taskArn);
  if (!task.ok) return fail(task.reason, `taskArn: ${task.message}`);
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return fail(cluster.reason, `clusterArn: ${cluster.message}`);
  const mismatch = belongsToCluster(task.value, 'taskArn', cluster.value);
  if (mismatch) return mismatch;
  const { partition, region, account, clusterName } = cluster.value;
  return ok({ partition, region, account, clusterName, taskId: task.value.taskId, taskArn: task.value, clusterArn: cluster.value });
}

export function resolveContainerInstanceIdentity(
  containerInstanceArn: string,
  clusterArn: string,
): Result<ContainerInstanceIdentity, IdentityRejectReason> {
  const instance = parseContainerInstanceArn(containerInstanceArn);
  if (!instance.ok) return fail(instance.reason, `containerInstanceArn: ${instance.message}`);
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return fail(cluster.reason, `clusterArn: ${cluster.message}`);
  const mismatch = belongsToCluster(instance.value, 'containerInstanceArn', cluster.value);
  if (mismatch) return mismatch;
  const { partition, region, account, clusterName } = cluster.value;
  return ok({
    partition,
    region,
    account,
    clusterName,
    containerInstanceId: instance.value.containerInstanceId,
    containerInstanceArn: instance.value,
    clusterArn: cluster.value,
  });
}

/**
 * A task or container instance ARN is consistent with a cluster ARN when both
 * share partition, region and account and, for new-format ARNs, the cluster name.
 * Returns the failure, or undefined when consistent.
 */
export function belongsToCluster(
  resource: ArnScope & { readonly arn: string; readonly clusterName?: string },
  field: string,
  cluster: ClusterArn,
): Failure<'arn_mismatch'> | undefined {
  if (!sameScope(resource, cluster)) {
    return fail(
      'arn_mismatch',
      `${field} ${quote(resource.arn)} is in ${describeScope(resource)} but clusterArn ${quote(cluster.arn)} is in ${describeScope(cluster)}`,
    );
  }
  if (resource.clusterName !== undefined && resource.clusterName !== cluster.clusterName) {
    return fail(
      'arn_mismatch',
      `${field} ${quote(resource.arn)} names cluster ${quote(resource.clusterName)} but clusterArn names ${quote(cluster.clusterName)}`,
    );
  }
  return undefined;
}

export interface ServiceIdentity extends ArnScope {
  readonly clusterName: string;
  readonly serviceName: string;
  readonly serviceArn: ServiceArn;
  readonly clusterArn: ClusterArn;
}

export function resolveServiceIdentity(serviceArn: string, clusterArn: string): Result<ServiceIdentity, IdentityRejectReason> {
  const service = parseServiceArn(serviceArn);
  if (!service.ok) return fail(service.reason, `serviceArn: ${service.message}`);
  const cluster = parseClusterArn(clusterArn);
  if (!cluster.ok) return fail(cluster.reason, `clusterArn: ${cluster.message}`);
  const mismatch = belongsToCluster(service.value, 'serviceArn', cluster.value);
  if (mismatch) return mismatch;
  const { partition, region, account, clusterName } = cluster.value;
  return ok({ partition, region, account, clusterName, serviceName: service.value.serviceName, serviceArn: service.value, clusterArn: cluster.value });
}
