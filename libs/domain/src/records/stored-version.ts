import type { KeyPrefix } from '../keys/key-prefix';
import { instanceKey, taskKey } from '../keys/key-layout';
import { parseKey } from '../keys/parse-key';
import type { JsonObject } from '../json/json-value';
import { fail, ok, type Result } from '../result/result';
import { checkVersion } from './field-checks';
import { isPlainObject } from './json-tree';

/**
 * The version of a record as stored under `key`, from its parsed JSON, without
 * normalising the whole record. The store's newer-wins check needs only this,
 * for every key a write touches, and a full normalisation costs several times
 * more. Checked: the value is an object with a non-negative integer version,
 * and its ARNs place it at `key` (a record copied under another key must not
 * decide that key's writes). The rest was validated when it was written; a
 * record that a later release would reject still keeps its version, so newer
 * wins holds across releases.
 */
export function storedRecordVersion(prefix: KeyPrefix, key: string, value: unknown): Result<number, 'not_a_stored_record'> {
  const location = parseKey(prefix, key);
  if (location === null) return fail('not_a_stored_record', `key ${key} is not in the layout under ${prefix}`);
  if (location.kind === 'service') return fail('not_a_stored_record', `key ${key} holds a service, which has no version (services are merged)`);
  if (!isPlainObject(value)) return fail('not_a_stored_record', 'the stored value is not a JSON object');
  const versionProblem = checkVersion(value as JsonObject);
  if (versionProblem) return fail('not_a_stored_record', `the stored value's ${versionProblem.message}`);
  const { version, clusterArn } = value as { version: number; clusterArn?: unknown };
  const arn = location.kind === 'task' ? value['taskArn'] : value['containerInstanceArn'];
  if (typeof arn !== 'string' || typeof clusterArn !== 'string') {
    return fail('not_a_stored_record', 'the stored value lacks its ARNs');
  }
  const own = location.kind === 'task' ? taskKey(prefix, { taskArn: arn, clusterArn }) : instanceKey(prefix, { containerInstanceArn: arn, clusterArn });
  if (!own.ok || own.value !== key) {
    return fail('not_a_stored_record', `the stored record belongs at ${own.ok ? own.value : 'no valid key'}`);
  }
  return ok(version);
}
