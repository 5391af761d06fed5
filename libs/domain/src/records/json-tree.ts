import type { JsonObject, JsonValue } from '../json/json-value';
import { fail, ok } from '../result/result';
import { describeType, quote } from '../text/quote';
import type { RecordResult } from './record-reject-reason';
import type { TimestampRole } from './timestamps';
import { dateToIso, describeTimestampProblem, epochSecondsToIso, isCanonicalIso, isDate, isoStringToIso, timestampRole } from './timestamps';

/** Deeper structures than this are not ECS data; the limit also stops cycles. */
export const MAX_RECORD_DEPTH = 64;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Why a value deep in a tree is not JSON data. Thrown inside the walk and
 * turned into a Result at its edge: successful walks then allocate no
 * per-value results, and property paths are only spelled out for the one
 * value that failed, as the exception unwinds through its parents.
 */
class TreeProblem {
  private readonly segments: string[] = [];

  constructor(readonly describe: (path: string) => string) {}

  /** Called from the innermost level outwards. */
  within(segment: string): TreeProblem {
    this.segments.push(segment);
    return this;
  }

  get path(): string {
    let path = '';
    for (let i = this.segments.length - 1; i >= 0; i -= 1) {
      const segment = this.segments[i] as string;
      path = path === '' || segment.startsWith('[') ? `${path}${segment}` : `${path}.${segment}`;
    }
    return path;
  }
}

/**
 * Converts an ECS object from any source into its canonical JSON tree:
 * timestamps (at any depth) become ISO strings with milliseconds, properties
 * whose value is undefined or null are dropped (the SDK reads JSON null as
 * undefined), unknown properties are kept except the top-level ones named in
 * `omit`, and anything that is not JSON (functions, bigints, non-finite
 * numbers, Maps, invalid Dates) is rejected.
 */
export function toCanonicalTree(input: Readonly<Record<string, unknown>>, omit: readonly string[] = []): RecordResult<JsonObject> {
  try {
    return ok(normalizeObject(input, 0, omit));
  } catch (error) {
    if (error instanceof TreeProblem) return fail('invalid_field', error.describe(error.path));
    // Only exotic inputs (throwing getters, revoked proxies) get here.
    return fail('invalid_field', `object could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * True when toCanonicalTree would return a copy equal to `input`, property
 * order included: a value fresh from JSON.parse of canonical text (what the
 * store writes) can then be used as it is. It walks the tree without
 * allocating. False means only that the copy differs (or that the tree is
 * rejected); toCanonicalTree says which.
 */
export function isCanonicalTree(input: Readonly<Record<string, unknown>>, omit: readonly string[] = []): boolean {
  for (const key of omit) if (Object.prototype.hasOwnProperty.call(input, key)) return false;
  return isCanonicalObject(input, 0);
}

function isCanonicalObject(input: Readonly<Record<string, unknown>>, depth: number): boolean {
  let previous: string | undefined;
  for (const key in input) {
    if (!Object.prototype.hasOwnProperty.call(input, key)) return false;
    if (previous !== undefined && !(previous < key)) return false;
    previous = key;
    if (!isCanonicalValue(input[key], timestampRole(key), depth + 1)) return false;
  }
  return true;
}

function isCanonicalValue(value: unknown, role: TimestampRole, depth: number): boolean {
  if (depth > MAX_RECORD_DEPTH) return false;
  switch (typeof value) {
    case 'string':
      // Non-canonical timestamps may be rewritten (or rejected): leave them to the copy.
      return role === 'none' || isCanonicalIso(value);
    case 'boolean':
      return role !== 'known';
    case 'number':
      return role !== 'known' && Number.isFinite(value);
    case 'object':
      if (value === null || role === 'known') return false;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1) {
          // Nulls are kept in arrays, dropped from objects.
          const item: unknown = value[index];
          if (item !== null && !isCanonicalValue(item, 'none', depth + 1)) return false;
        }
        return true;
      }
      return isPlainObject(value) && isCanonicalObject(value, depth);
    default:
      return false;
  }
}

function propertySegment(key: string): string {
  return IDENTIFIER.test(key) ? key : `[${quote(key)}]`;
}

/** `omit`: top-level properties to leave out (nested objects keep everything). */
function normalizeObject(input: Readonly<Record<string, unknown>>, depth: number, omit: readonly string[] = []): JsonObject {
  const result: Record<string, JsonValue> = {};
  // Inserted in canonical key order, so that canonicalJson can let JSON.stringify write the tree as it is.
  for (const key of Object.keys(input).sort()) {
    if (omit.length > 0 && omit.includes(key)) continue;
    let normalized: JsonValue | undefined | null;
    try {
      normalized = normalizeValue(input[key], timestampRole(key), depth + 1);
    } catch (error) {
      throw error instanceof TreeProblem ? error.within(propertySegment(key)) : error;
    }
    if (normalized === undefined || normalized === null) continue;
    // A "__proto__" key must stay data, not replace the prototype.
    if (key === '__proto__') Object.defineProperty(result, key, { value: normalized, enumerable: true, writable: true, configurable: true });
    else result[key] = normalized;
  }
  return result;
}

function normalizeValue(value: unknown, role: TimestampRole, depth: number): JsonValue | undefined | null {
  if (depth > MAX_RECORD_DEPTH) {
    throw new TreeProblem((path) => `${path}: nested deeper than ${MAX_RECORD_DEPTH} levels`);
  }
  if (value === undefined || value === null) return value;
  switch (typeof value) {
    case 'string':
      return role === 'none' ? value : normalizeTimestampString(value, role);
    case 'boolean':
      if (role === 'known') break;
      return value;
    case 'number':
      if (role === 'known') return normalizeEpochSeconds(value);
      if (!Number.isFinite(value)) throw new TreeProblem((path) => `${path}: ${String(value)} is not a finite number`);
      return value;
    case 'object':
      if (isDate(value)) return normalizeDate(value);
      if (role === 'known') break;
      if (Array.isArray(value)) return normalizeArray(value, depth);
      if (isPlainObject(value)) return normalizeObject(value, depth);
      break;
  }
  if (role === 'known') throw new TreeProblem((path) => `${path}: expected a timestamp, got ${describeType(value)}`);
  throw new TreeProblem((path) => `${path}: a ${describeType(value)} value is not JSON data`);
}

function normalizeArray(items: readonly unknown[], depth: number): JsonValue[] {
  const result: JsonValue[] = new Array<JsonValue>(items.length);
  for (let index = 0; index < items.length; index += 1) {
    try {
      result[index] = normalizeValue(items[index], 'none', depth + 1) ?? null;
    } catch (error) {
      throw error instanceof TreeProblem ? error.within(`[${index}]`) : error;
    }
  }
  return result;
}

function normalizeDate(value: Date): string {
  const iso = dateToIso(value);
  if (iso === undefined) throw new TreeProblem((path) => `${path}: is an invalid Date`);
  return iso;
}

/** Strings under timestamp names that are ISO date-times are normalised; others stay as they are unless the name is a known timestamp. */
function normalizeTimestampString(value: string, role: TimestampRole): string {
  const iso = isoStringToIso(value);
  if (iso !== undefined) return iso;
  if (role === 'known') throw new TreeProblem((path) => `${path}: ${describeTimestampProblem(value)}`);
  return value;
}

function normalizeEpochSeconds(value: number): string {
  const iso = epochSecondsToIso(value);
  if (iso === undefined) throw new TreeProblem((path) => `${path}: ${String(value)} is not a valid epoch-seconds timestamp`);
  return iso;
}
