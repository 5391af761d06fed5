import type { JsonValue } from './json-value';

/**
 * Deterministic JSON: object keys sorted by UTF-16 code unit, no whitespace,
 * undefined-valued properties omitted. Two values with the same content always
 * serialize to the same bytes, so stored records can be compared byte-wise.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') {
    // Non-finite numbers cannot occur in validated records; JSON's own
    // fallback ("null") keeps the function total.
    return JSON.stringify(value) ?? 'null';
  }
  // Built by appending to one string: every record is encoded on each write,
  // and per-level arrays joined at the end cost more than the appends.
  if (Array.isArray(value)) {
    const items = value as readonly JsonValue[];
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ',';
      out += canonicalJson(items[i] as JsonValue);
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
    out += canonicalJson(item);
  }
  return `${out}}`;
}
