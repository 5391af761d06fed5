/** The job id in a BullMQ job key (`<prefix>:<queue>:<job id>`), as dependency reads return them. */
export function jobIdOfKey(key: string): string {
  return key.slice(key.lastIndexOf(':') + 1);
}
