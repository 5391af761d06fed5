import type { KeyPrefix } from '@ecs-state/domain';
import { uniquePrefix as prefixFor } from '@ecs-state/test-services';

export { newClient, sampleInstance as instance, sampleTask as task, writer } from '@ecs-state/test-services';

export function uniquePrefix(name: string): KeyPrefix {
  return prefixFor('rest-api', name);
}
