import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

/**
 * The `web` family of the tests that fill one EC2 instance with hundreds of tasks: so small
 * (8 CPU units, 16 MiB) that the simulator's default instance (2048 units) places 256 of them.
 * EC2 only: the Fargate tasks of those tests run `WEB_TASK_DEFINITION` under another family.
 */
export const PACKED_WEB_TASK_DEFINITION: Readonly<RegisterTaskDefinitionCommandInput> = {
  family: 'web',
  containerDefinitions: [{ name: 'web', image: 'nginx', cpu: 8, memory: 16 }],
};
