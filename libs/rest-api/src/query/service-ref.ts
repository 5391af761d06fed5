import type { KeyPrefix } from '@ecs-state/domain';
import { clusterServicesPrefix, parseClusterRef, parseServiceArn } from '@ecs-state/domain';
import { ApiError, MESSAGES } from '../http/api-error';
import { clusterArnFor } from './resource-cluster';
import { parseServiceName } from './service-name';

/**
 * The keys `{cluster}/{service}` of a get may designate. A service ARN names
 * its partition, region and account, as a task ARN does; a bare service name
 * in a cluster given by name is looked for in every cluster of that name the
 * view knows (one, unless the same name exists in several accounts or regions).
 */
export function serviceKeys(prefix: KeyPrefix, cluster: string, service: string, arnsNamed: (name: string) => readonly string[]): readonly string[] {
  if (service.startsWith('arn:')) {
    const arn = parseServiceArn(service);
    if (!arn.ok) throw new ApiError(400, MESSAGES.invalidService);
    const clusterArn = clusterArnFor(cluster, arn.value);
    return clusterArn === null ? [] : keysIn(prefix, [clusterArn], arn.value.serviceName);
  }
  const name = parseServiceName(service);
  const ref = parseClusterRef(cluster);
  if (!ref.ok) throw new ApiError(400, MESSAGES.invalidCluster);
  return keysIn(prefix, ref.value.kind === 'arn' ? [ref.value.arn.arn] : arnsNamed(ref.value.clusterName), name);
}

function keysIn(prefix: KeyPrefix, clusterArns: readonly string[], serviceName: string): string[] {
  const keys: string[] = [];
  for (const clusterArn of clusterArns) {
    const range = clusterServicesPrefix(prefix, clusterArn);
    if (range.ok) keys.push(`${range.value}${serviceName}`);
  }
  return keys;
}
