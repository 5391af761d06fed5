import type { ClusterRef, KeyPrefix } from '@ecs-state/domain';
import { clusterInstancesPrefix, clusterTasksPrefix, parseClusterRef } from '@ecs-state/domain';
import type { ApiEntry } from '../v1/api-record';
import { ApiError, MESSAGES } from '../http/api-error';

export function parseClusterParam(value: string): ClusterRef {
  const ref = parseClusterRef(value);
  if (!ref.ok) throw new ApiError(400, MESSAGES.invalidCluster);
  return ref.value;
}

/** A cluster ARN maps to one key range; a bare name may exist in several accounts or regions. */
export function clusterScope(
  prefix: KeyPrefix,
  kind: 'task' | 'instance',
  ref: ClusterRef,
): { keyPrefix?: string; test?: (entry: ApiEntry) => boolean } {
  if (ref.kind === 'arn') {
    const range = kind === 'task' ? clusterTasksPrefix(prefix, ref.arn.arn) : clusterInstancesPrefix(prefix, ref.arn.arn);
    if (!range.ok) throw new ApiError(400, MESSAGES.invalidCluster);
    return { keyPrefix: range.value };
  }
  const name = ref.clusterName;
  return { test: (entry) => entry.location.clusterName === name };
}

/**
 * A bare cluster name that the view has only ever seen under one ARN narrows a
 * listing to that cluster's key range, instead of a scan of every record with a
 * name test. Names seen in several accounts or regions keep the scan.
 */
export function namedClusterPrefix(
  prefix: KeyPrefix,
  kind: 'task' | 'instance',
  value: string | undefined,
  arnsNamed: (name: string) => readonly string[],
): string | undefined {
  if (value === undefined) return undefined;
  const ref = parseClusterRef(value);
  if (!ref.ok || ref.value.kind !== 'name') return undefined;
  const [arn, ...others] = arnsNamed(ref.value.clusterName);
  if (arn === undefined || others.length > 0) return undefined;
  const range = kind === 'task' ? clusterTasksPrefix(prefix, arn) : clusterInstancesPrefix(prefix, arn);
  return range.ok ? range.value : undefined;
}
