/**
 * How one field of a service's log line is shown. The rule: nothing that identifies
 * or counts is ever cut — numbers, booleans, ids, ARNs, URLs and every value of an
 * object such as a drift report are shown whole, however long the line gets. Only
 * what has no bound is shortened, and says so:
 *
 * - a string longer than MAX_TEXT characters (free text: an error body, a payload)
 *   keeps its first MAX_TEXT and ends in `…(+N chars)`;
 * - an array longer than MAX_ITEMS keeps its first MAX_ITEMS and ends in `…(+N items)`;
 * - objects and arrays below the MAX_DEPTH-th level of a field show as `{…N keys}` /
 *   `[…N items]` (a drift report's counts sit on the second level).
 */
export const MAX_TEXT = 200;
export const MAX_ITEMS = 20;
export const MAX_DEPTH = 3;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function cutText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…(+${text.length - MAX_TEXT} chars)` : text;
}

/** Compact JSON, shortened by the rule above; `depth` is how deep `value` sits in the field. */
function compactJson(value: unknown, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(cutText(value));
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH && value.length > 0) return `[…${count(value.length, 'item')}]`;
    const shown = value.slice(0, MAX_ITEMS).map((item: unknown) => compactJson(item, depth + 1));
    if (value.length > MAX_ITEMS) shown.push(`…(+${count(value.length - MAX_ITEMS, 'item')})`);
    return `[${shown.join(',')}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (depth >= MAX_DEPTH && entries.length > 0) return `{…${count(entries.length, 'key')}}`;
  return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${compactJson(v, depth + 1)}`).join(',')}}`;
}

/** A field's value as `key=<this>`: a bare word when it can be, else quoted or JSON. */
export function renderFieldValue(value: unknown): string {
  if (typeof value === 'string') {
    const text = cutText(value);
    return /[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text;
  }
  return compactJson(value, 0);
}
