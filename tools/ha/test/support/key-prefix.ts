import { parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';

export function keyPrefix(prefix: string): KeyPrefix {
  const parsed = parseKeyPrefix(prefix);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}
