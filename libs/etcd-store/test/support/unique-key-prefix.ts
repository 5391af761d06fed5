import { randomUUID } from 'node:crypto';
import { parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';

/** A key prefix of its own for one test, so that tests sharing an etcd never see each other's keys. */
export function uniqueKeyPrefix(name: string): KeyPrefix {
  const prefix = parseKeyPrefix(`/test-etcd-store/${name}-${randomUUID()}`);
  if (!prefix.ok) throw new Error(prefix.message);
  return prefix.value;
}
