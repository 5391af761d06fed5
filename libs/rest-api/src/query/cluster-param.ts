import type { ArnResult, ClusterRef, KeyPrefix, RecordKind } from '@ecs-state/domain';
import { clusterInstancesPrefix, clusterServicesPrefix, clusterTasksPrefix, parseClusterRef } from '@ecs-state/domain';
import type { ApiEntry } from '../v1/api-record';
import { ApiError, MESSAGES } from '../http/api-error';

export function parseClusterParam(value: string): ClusterRef {
  const ref = parseClusterRef(value);
  if (!ref.ok) throw new ApiError(400, MESSAGES.invalidCluster);
  return ref.value;
}

const CLUSTER_PREFIXES: Readonly<Record<RecordKind, (prefix: KeyPrefix, clusterArn: string) => ArnResult<string>>> = {
  task: clusterTasksPrefix,
  instance: clusterInstancesPrefix,
  service: clusterServicesPrefix,
};

/** A cluster ARN maps to one key range; a bare name may exist in several accounts or regions. */
export function clusterScope(prefix: KeyPrefix, kind: RecordKind, ref: ClusterRef): { keyPrefix?: string; test?: (entry: ApiEntry) => boolean } {
  if (ref.kind === 'arn') {
    const range = CLUSTER_PREFIXES[kind](prefix, ref.arn.arn);
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
  kind: RecordKind,
  value: string | undefined,
  arnsNamed: (name: string) => readonly string[],
): string | undefined {
  if (value === undefined) return undefined;
  const ref = parseClusterRef(value);
  if (!ref.ok || ref.value.kind !== 'name') return undefined;
  const [arn, ...others] = arnsNamed(ref.value.clusterName);
  if (arn === undefined || others.length > 0) return undefined;
  const range = CLUSTER_PREFIXES[kind](prefix, arn);
  return range.ok ? range.value : undefined;
}
