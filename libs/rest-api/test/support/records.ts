import type { KeyPrefix } from '@ecs-state/domain';
import { uniquePrefix as prefixFor } from '@ecs-state/test-support';

export { newClient, sampleInstance as instance, sampleTask as task, waitFor, writer } from '@ecs-state/test-support';

export function uniquePrefix(name: string): KeyPrefix {
  return prefixFor('rest-api', name);
}
