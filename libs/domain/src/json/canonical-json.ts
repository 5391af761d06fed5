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
  if (Array.isArray(value)) {
    return `[${(value as readonly JsonValue[]).map((item) => canonicalJson(item)).join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const item = (value as { readonly [key: string]: JsonValue | undefined })[key];
    if (item !== undefined) {
      parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
    }
  }
  return `{${parts.join(',')}}`;
}
