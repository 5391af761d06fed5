import type { JsonObject, JsonValue } from '../json/json-value';
import { fail, ok } from '../result/result';
import { describeType, quote } from '../text/quote';
import type { RecordResult } from './record-reject-reason';
import type { TimestampRole } from './timestamps';
import { dateToIso, describeTimestampProblem, epochSecondsToIso, isDate, isoStringToIso, timestampRole } from './timestamps';

/** Deeper structures than this are not ECS data; the limit also stops cycles. */
export const MAX_RECORD_DEPTH = 64;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Converts an ECS object from any source into its canonical JSON tree:
 * timestamps (at any depth) become ISO strings with milliseconds, properties
 * whose value is undefined or null are dropped (the SDK reads JSON null as
 * undefined), unknown properties are kept, and anything that is not JSON
 * (functions, bigints, non-finite numbers, Maps, invalid Dates) is rejected.
 */
export function toCanonicalTree(input: Readonly<Record<string, unknown>>): RecordResult<JsonObject> {
  try {
    return normalizeObject(input, '', 0);
  } catch (error) {
    // Only exotic inputs (throwing getters, revoked proxies) get here.
    return fail('invalid_field', `object could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function childPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${quote(key)}]`;
}

function normalizeObject(input: Readonly<Record<string, unknown>>, path: string, depth: number): RecordResult<JsonObject> {
  const entries: [string, JsonValue][] = [];
  for (const key of Object.keys(input)) {
    const propertyPath = childPath(path, key);
    const normalized = normalizeValue(input[key], propertyPath, timestampRole(key), depth + 1);
    if (!normalized.ok) return normalized;
    if (normalized.value !== undefined && normalized.value !== null) {
      entries.push([key, normalized.value]);
    }
  }
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return ok(Object.fromEntries(entries));
}

function normalizeValue(value: unknown, path: string, role: TimestampRole, depth: number): RecordResult<JsonValue | undefined> {
  if (depth > MAX_RECORD_DEPTH) {
    return fail('invalid_field', `${path}: nested deeper than ${MAX_RECORD_DEPTH} levels`);
  }
  if (value === undefined || value === null) return ok(value);
  if (role !== 'none' || isDate(value)) {
    const timestamp = normalizeTimestamp(value, path, role);
    if (timestamp !== undefined) return timestamp;
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return ok(value);
    case 'number':
      return Number.isFinite(value) ? ok(value) : fail('invalid_field', `${path}: ${String(value)} is not a finite number`);
    case 'object':
      if (Array.isArray(value)) return normalizeArray(value, path, depth);
      if (isPlainObject(value)) return normalizeObject(value, path, depth);
      break;
  }
  return fail('invalid_field', `${path}: a ${describeType(value)} value is not JSON data`);
}

function normalizeArray(items: readonly unknown[], path: string, depth: number): RecordResult<JsonValue[]> {
  const result: JsonValue[] = [];
  for (let index = 0; index < items.length; index += 1) {
    const normalized = normalizeValue(items[index], `${path}[${index}]`, 'none', depth + 1);
    if (!normalized.ok) return normalized;
    result.push(normalized.value ?? null);
  }
  return ok(result);
}

/** The timestamp result, or undefined when the value is not to be read as a timestamp. */
function normalizeTimestamp(value: unknown, path: string, role: TimestampRole): RecordResult<string> | undefined {
  if (isDate(value)) {
    const iso = dateToIso(value);
    return iso === undefined ? fail('invalid_field', `${path}: is an invalid Date`) : ok(iso);
  }
  if (typeof value === 'string') {
    const iso = isoStringToIso(value);
    if (iso !== undefined) return ok(iso);
    return role === 'known' ? fail('invalid_field', `${path}: ${describeTimestampProblem(value)}`) : undefined;
  }
  if (role !== 'known') return undefined;
  if (typeof value === 'number') {
    const iso = epochSecondsToIso(value);
    return iso === undefined ? fail('invalid_field', `${path}: ${String(value)} is not a valid epoch-seconds timestamp`) : ok(iso);
  }
  return fail('invalid_field', `${path}: expected a timestamp, got ${describeType(value)}`);
}

/** A copy without the named properties (the same object when none is present). */
export function withoutProperties<T extends JsonObject>(record: T, names: readonly string[]): T {
  if (!names.some((name) => Object.prototype.hasOwnProperty.call(record, name))) return record;
  return Object.fromEntries(Object.entries(record).filter(([key]) => !names.includes(key))) as T;
}
