import type { JsonValue, TaskRecord } from '@ecs-state/domain';
import { CONTAINER_RENAMES, TASK_RENAMES, toTaskEntity } from './entity';

/** The end of a renamed key as JSON writes it, up to its colon. */
const ARN_END = 'Arn';
const KEY_END = `${ARN_END}":`;
const UPPER_R = 0x52;
const UPPER_N = 0x4e;

type Properties = { readonly [key: string]: JsonValue | undefined };

/**
 * Every rename only turns a trailing `Arn` into `ARN`, so the record's own
 * JSON becomes the entity's by rewriting the end of each renamed key.
 */
const RENAMED_KEYS = [...new Set([...Object.keys(TASK_RENAMES), ...Object.keys(CONTAINER_RENAMES)])].map((key) => {
  const entityKey = TASK_RENAMES[key] ?? CONTAINER_RENAMES[key];
  if (!key.endsWith(ARN_END) || entityKey !== `${key.slice(0, -ARN_END.length)}ARN`) throw new Error(`rename ${key} → ${entityKey} is not a spelling of Arn`);
  return { key, entityKey, opening: `"${key.slice(0, -ARN_END.length)}`, inTask: key in TASK_RENAMES, inContainer: key in CONTAINER_RENAMES };
});

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function isObject(value: JsonValue | undefined): value is Properties {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Whether the record's JSON, renamed, is its entity: toTaskEntity leaves
 * nothing in place but the keys. Not so with an `ARN` spelling beside an `Arn`
 * one (the object keeps one key), an own `__proto__` (the object's copy drops
 * it), or a default to fill in a container or in the middle of the task.
 */
function isRenameOnly(task: TaskRecord): boolean {
  if (hasOwn(task, '__proto__')) return false;
  for (const { entityKey, inTask } of RENAMED_KEYS) if (inTask && task[entityKey] !== undefined) return false;
  if (task.containerInstanceArn === null || task.taskDefinitionArn === null || task.createdAt === null) return false;
  const overrides = task['overrides'];
  if (overrides !== undefined && !(isObject(overrides) && Array.isArray(overrides['containerOverrides']))) return false;
  const containers: JsonValue | undefined = task.containers;
  if (containers === undefined) return true;
  if (!Array.isArray(containers)) return false;
  for (const container of containers as readonly JsonValue[]) {
    if (!isObject(container) || hasOwn(container, '__proto__')) return false;
    if (container['containerArn'] == null || container['lastStatus'] == null || container['name'] == null) return false;
    for (const { entityKey, inContainer } of RENAMED_KEYS) if (inContainer && container[entityKey] !== undefined) return false;
  }
  return true;
}

/** How many objects of the entity have `key` renamed: the task, and each container. */
function renamedCount(task: TaskRecord, key: string, inTask: boolean, inContainer: boolean): number {
  let count = inTask && task[key] !== undefined ? 1 : 0;
  if (inContainer) for (const container of task.containers ?? []) if (container[key] !== undefined) count++;
  return count;
}

/**
 * Where each renamed key's `rn` stands in the JSON, or undefined if the JSON
 * holds such a key in some other object too (an attachment, an override),
 * which keeps its name. A quote inside a string is escaped, so `taskArn":`
 * ends a key: every renamed key is found, and any other find (that key
 * elsewhere, or a key ending in `\"taskArn`) makes a count exceed.
 */
function renamedKeyEnds(json: string, task: TaskRecord): number[] | undefined {
  const counts = RENAMED_KEYS.map(() => 0);
  const ends: number[] = [];
  for (let at = json.indexOf(KEY_END); at !== -1; at = json.indexOf(KEY_END, at + KEY_END.length)) {
    let index = 0;
    for (const { opening } of RENAMED_KEYS) {
      if (json.startsWith(opening, at - opening.length)) {
        counts[index] = (counts[index] ?? 0) + 1;
        ends.push(at + 1);
        break;
      }
      index++;
    }
  }
  const expected = RENAMED_KEYS.every(({ key, inTask, inContainer }, index) => counts[index] === renamedCount(task, key, inTask, inContainer));
  return expected ? ends : undefined;
}

/** The JSON with `RN` at each of `ends`, for JSON whose characters are not one byte each. */
function spliced(json: string, ends: readonly number[]): string {
  let out = '';
  let copied = 0;
  for (const at of ends) {
    out += `${json.slice(copied, at)}RN`;
    copied = at + 2;
  }
  return out + json.slice(copied);
}

/** The properties toTaskEntity adds at the end when the record lacks them, in its order. */
function absentTail(task: TaskRecord): string {
  let tail = '';
  if (task.containers === undefined) tail += ',"containers":[]';
  if (task['overrides'] === undefined) tail += ',"overrides":{"containerOverrides":[]}';
  if (task.containerInstanceArn === undefined) tail += ',"containerInstanceARN":""';
  if (task.taskDefinitionArn === undefined) tail += ',"taskDefinitionARN":""';
  if (task.createdAt === undefined) tail += ',"createdAt":""';
  return tail;
}

/**
 * The entity's bytes written as the record's own JSON with its keys renamed,
 * or undefined for a record for which renaming is not the whole difference.
 */
export function renamedEntityBytes(task: TaskRecord): Buffer | undefined {
  const json = isRenameOnly(task) ? JSON.stringify(task) : undefined;
  // `{}` has no property for the tail's leading comma to follow.
  const ends = json !== undefined && json !== '{}' ? renamedKeyEnds(json, task) : undefined;
  if (json === undefined || ends === undefined) return undefined;
  const tail = absentTail(task);
  const bytes = Buffer.from(tail === '' ? json : `${json.slice(0, -1)}${tail}}`);
  // The tail is ASCII: the same length in bytes means every character of the JSON is one byte, at its own index.
  if (bytes.length !== json.length + tail.length) return Buffer.from(`${spliced(json.slice(0, -1), ends)}${tail}}`);
  for (const at of ends) {
    bytes[at] = UPPER_R;
    bytes[at + 1] = UPPER_N;
  }
  return bytes;
}

/**
 * `Buffer.from(JSON.stringify(toTaskEntity(task)))`, to the byte. At a load
 * of 100,000 tasks, building the renamed object and walking it again was most
 * of the projection's time; JSON.stringify of the record itself is the one
 * walk left.
 */
export function taskEntityBytes(task: TaskRecord): Buffer {
  return renamedEntityBytes(task) ?? Buffer.from(JSON.stringify(toTaskEntity(task)));
}
