import type { JsonValue } from './json-value';

/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit, no whitespace,
 * undefined-valued properties omitted. Two values with the same content always
 * serialize to the same bytes, so stored records can be compared byte-wise.
 *
 * Records normally arrive with their keys already in that order (the record
 * normaliser inserts them sorted, and parsing canonical text keeps its order);
 * V8's own serializer then writes the canonical text several times faster than
 * building it here, so the order is checked and the fast path taken.
 */
export function canonicalJson(value: JsonValue): string {
  if (inCanonicalOrder(value)) return JSON.stringify(value) ?? 'null';
  return buildCanonical(value);
}

/**
 * True when JSON.stringify would write `value` in canonical order: plain
 * objects only (no toJSON, no exotic serialization), each one's own keys
 * enumerated in strictly increasing code-unit order. Integer-like keys, which
 * objects enumerate first in numeric order, fail the check when that order
 * differs from the canonical one.
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const object = value as { readonly [key: string]: unknown };
  const keys = Object.keys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0 && !((keys[i - 1] as string) < key)) return false;
    if (!inCanonicalOrder(object[key])) return false;
  }
  return true;
}

function buildCanonical(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    // Non-finite numbers cannot occur in validated records; JSON's own
    // fallback ("null") keeps the function total.
    return JSON.stringify(value) ?? 'null';
  }
  // Built by appending to one string: per-level arrays joined at the end cost more than the appends.
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ',';
      out += buildCanonical(items[i] as JsonValue);
    }
    return `${out}]`;
  }
  const object = value as { readonly [key: string]: JsonValue | undefined };
  let out = '{';
  for (const key of Object.keys(object).sort()) {
    const item = object[key];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(key);
    out += ':';
    out += buildCanonical(item);
  }
  return `${out}}`;
}
