import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';

/** The `web` family the end-to-end tests run: placeable on EC2 instances and on Fargate. */
export const WEB_TASK_DEFINITION: Readonly<RegisterTaskDefinitionCommandInput> = {
  family: 'web',
  cpu: '256',
  memory: '512',
  networkMode: 'awsvpc',
  requiresCompatibilities: ['EC2', 'FARGATE'],
  containerDefinitions: [{ name: 'web', image: 'nginx', cpu: 128, memory: 256 }],
};
