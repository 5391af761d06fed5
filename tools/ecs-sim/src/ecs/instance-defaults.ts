import type { Resource, VersionInfo } from '@aws-sdk/client-ecs';
import { deepFreeze } from './frozen';

/** What a simulated instance registers when the request names no resources, as in the ECS samples. */
export const DEFAULT_RESOURCES: Resource[] = [
  { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
  { name: 'MEMORY', type: 'INTEGER', integerValue: 3767 },
  { name: 'PORTS', type: 'STRINGSET', stringSetValue: ['22', '2376', '2375', '51678', '51679'] },
  { name: 'PORTS_UDP', type: 'STRINGSET', stringSetValue: [] },
];

export const DEFAULT_VERSION_INFO: VersionInfo = {
  agentHash: 'aebcbca',
  agentVersion: '1.13.0',
  dockerVersion: 'DockerVersion: 1.11.2',
};

export const DEFAULT_CAPABILITIES = [
  'com.amazonaws.ecs.capability.logging-driver.syslog',
  'com.amazonaws.ecs.capability.logging-driver.awslogs',
  'com.amazonaws.ecs.capability.logging-driver.json-file',
  'com.amazonaws.ecs.capability.privileged-container',
  'com.amazonaws.ecs.capability.docker-remote-api.1.17',
  'com.amazonaws.ecs.capability.ecr-auth',
  'com.amazonaws.ecs.capability.task-iam-role',
];

/** The registered resources, with the four ECS always reports filled in where missing. */
export function mergeResources(given: Resource[]): Resource[] {
  const merged = structuredClone(given);
  for (const fallback of DEFAULT_RESOURCES) {
    if (!merged.some((r) => r.name === fallback.name)) merged.push(structuredClone(fallback));
  }
  return deepFreeze(merged);
}
