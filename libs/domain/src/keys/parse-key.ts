import type { Partition } from '../arn/arn-components';
import { isAccountId, isClusterName, isPartition, isRegion, isResourceId } from '../arn/arn-components';
import type { KeyPrefix } from './key-prefix';
import { INSTANCES_SEGMENT, SERVICES_SEGMENT, TASKS_SEGMENT } from './key-segments';

interface KeyLocation {
  readonly partition: Partition;
  readonly region: string;
  readonly account: string;
  readonly clusterName: string;
  /** The cluster's ARN, rebuilt from the key. */
  readonly clusterArn: string;
}

export type ParsedKey =
  | (KeyLocation & { readonly kind: 'task'; readonly taskId: string })
  | (KeyLocation & { readonly kind: 'instance'; readonly containerInstanceId: string })
  | (KeyLocation & { readonly kind: 'service'; readonly serviceName: string });

/** The inverse of taskKey/instanceKey/serviceKey; null for anything those cannot produce. */
export function parseKey(prefix: KeyPrefix, key: string): ParsedKey | null {
  const head = `${prefix}/`;
  if (!key.startsWith(head)) return null;
  const segments = key.slice(head.length).split('/');
  if (segments.length !== 6) return null;
  const [kindSegment = '', partition = '', region = '', account = '', clusterName = '', id = ''] = segments;
  if (!isPartition(partition) || !isRegion(region) || !isAccountId(account) || !isClusterName(clusterName)) return null;
  // Service names allow 255 characters, task and instance ids 128.
  if (kindSegment === SERVICES_SEGMENT ? !isClusterName(id) : !isResourceId(id)) return null;
  const location: KeyLocation = {
    partition,
    region,
    account,
    clusterName,
    clusterArn: `arn:${partition}:ecs:${region}:${account}:cluster/${clusterName}`,
  };
  if (kindSegment === TASKS_SEGMENT) return { kind: 'task', ...location, taskId: id };
  if (kindSegment === INSTANCES_SEGMENT) return { kind: 'instance', ...location, containerInstanceId: id };
  if (kindSegment === SERVICES_SEGMENT) return { kind: 'service', ...location, serviceName: id };
  return null;
}
