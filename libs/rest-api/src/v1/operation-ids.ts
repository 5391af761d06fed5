import type { RecordKind } from '@ecs-state/domain';

/**
 * The original specification's operationIds. Client generators name methods
 * after them (ListTasks → listTasks), so a client generated from this API's
 * document keeps the method names of one generated from the original. Services,
 * which the original did not have, are named in the same style.
 */
export const V1_OPERATION_IDS: Readonly<Record<RecordKind, { readonly list: string; readonly get: string; readonly stream: string }>> = {
  task: { list: 'ListTasks', get: 'GetTask', stream: 'StreamTasks' },
  instance: { list: 'ListInstances', get: 'GetInstance', stream: 'StreamInstances' },
  service: { list: 'ListServices', get: 'GetService', stream: 'StreamServices' },
};
