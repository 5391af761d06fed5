const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * `20m`, `90s`, `1h`, `1500ms` or a bare number of milliseconds; `0` or `off` is null
 * (no periodic reconcile). Returns undefined when the text is none of these.
 */
export function parseInterval(text: string): number | null | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === '0') return null;
  const match = /^(\d+)(ms|s|m|h)?$/.exec(trimmed);
  if (!match) return undefined;
  const value = Number(match[1]) * (UNITS[match[2] ?? 'ms'] as number);
  return value === 0 ? null : value;
}
