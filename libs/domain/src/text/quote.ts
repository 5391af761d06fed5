const MAX_QUOTED_LENGTH = 120;

/**
 * Renders an offending input for an error message: JSON-quoted so control
 * characters and quotes stay visible, and truncated so a hostile input cannot
 * blow up log lines.
 */
export function quote(value: string): string {
  if (value.length <= MAX_QUOTED_LENGTH) {
    return JSON.stringify(value);
  }
  return `${JSON.stringify(value.slice(0, MAX_QUOTED_LENGTH))}… (${value.length} characters)`;
}

/** Names the JSON type of a value for messages such as "expected a string, got number". */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Object.prototype.toString.call(value) === '[object Date]') return 'Date';
  return typeof value;
}
