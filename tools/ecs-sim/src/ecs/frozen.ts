/**
 * Nested parts of records (tags, overrides, resources, attributes) are frozen copies
 * of what came in. Responses and the ground truth can then share them instead of
 * copying them for each of 100,000 tasks, and no reader can change a record through them.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

export function frozenCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}
