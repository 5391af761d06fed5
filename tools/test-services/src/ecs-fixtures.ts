import { RegisterTaskDefinitionCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { WEB_TASK_DEFINITION } from '@ecs-state/test-support';

/** Registers the `web` family ({@link WEB_TASK_DEFINITION}) the end-to-end tests run. */
export async function registerWebTaskDefinition(ecs: ECSClient): Promise<void> {
  await ecs.send(new RegisterTaskDefinitionCommand({ ...WEB_TASK_DEFINITION }));
}
