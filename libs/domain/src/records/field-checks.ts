import type { JsonObject, JsonValue } from '../json/json-value';
import { fail } from '../result/result';
import { describeType } from '../text/quote';
import type { RecordFailure } from './record-reject-reason';

/** JSON types a typed record property may be declared with. */
export type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'object-array';

export type FieldTypes = Readonly<Record<string, FieldType>>;

function isJsonObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: JsonValue, type: FieldType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isJsonObject(value);
    case 'object-array':
      return Array.isArray(value) && (value as readonly JsonValue[]).every(isJsonObject);
  }
}

const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  'object-array': 'an array of objects',
};

function qualified(path: string, field: string): string {
  return path === '' ? field : `${path}.${field}`;
}

/**
 * Checks that required fields are present (as non-empty strings) and that the
 * typed optional fields, when present, have their declared type.
 */
export function checkFields(
  record: JsonObject,
  path: string,
  requiredStrings: readonly string[],
  optional: FieldTypes,
): RecordFailure | undefined {
  for (const field of requiredStrings) {
    const value = record[field];
    if (value === undefined) {
      return fail('missing_field', `${qualified(path, field)} is missing`);
    }
    if (typeof value !== 'string' || value === '') {
      return fail('invalid_field', `${qualified(path, field)} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describeType(value)}`);
    }
  }
  for (const [field, type] of Object.entries(optional)) {
    const value = record[field];
    if (value !== undefined && !hasType(value, type)) {
      return fail('invalid_field', `${qualified(path, field)} must be ${TYPE_NAMES[type]}, got ${describeType(value)}`);
    }
  }
  return undefined;
}

/** ECS's per-resource version counter: an integer that only grows. */
export function checkVersion(record: JsonObject): RecordFailure | undefined {
  const version = record['version'];
  if (version === undefined) {
    return fail('missing_version', 'version is missing');
  }
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    const shown = typeof version === 'number' ? String(version) : describeType(version);
    return fail('invalid_version', `version must be a non-negative integer, got ${shown}`);
  }
  return undefined;
}

/** Checks each element of an array-of-objects property, e.g. a task's containers. */
export function checkEach(
  record: JsonObject,
  field: string,
  optional: FieldTypes,
): RecordFailure | undefined {
  const items = record[field];
  if (!Array.isArray(items)) return undefined;
  for (let index = 0; index < items.length; index += 1) {
    const item = (items as readonly JsonValue[])[index];
    if (item !== undefined && isJsonObject(item)) {
      const failure = checkFields(item, `${field}[${index}]`, [], optional);
      if (failure) return failure;
    }
  }
  return undefined;
}
