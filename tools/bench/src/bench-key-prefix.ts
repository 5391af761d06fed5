import { parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';

/** A benchmark's key prefix, checked by the key layout's rules as the services check ETCD_PREFIX. */
export function benchKeyPrefix(text: string): KeyPrefix {
  const prefix = parseKeyPrefix(text);
  if (!prefix.ok) throw new Error(prefix.message);
  return prefix.value;
}
