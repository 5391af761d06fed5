import type { Painter } from './ansi';
import { renderFieldValue } from './field-value';

export interface LogFormatOptions {
  /** Pass lines through untouched. */
  raw: boolean;
  paint: Painter;
}

const LEVEL_COLORS = { error: 'red', warn: 'yellow', debug: 'gray' } as const;
// Shown by the prefix and the time column already, or by the level.
const OMITTED_FIELDS = new Set(['level', 'message', 'msg', 'service', 'timestamp', 'time', 'stack']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function clockTime(timestamp: unknown): string {
  const date = typeof timestamp === 'string' || typeof timestamp === 'number' ? new Date(timestamp) : new Date(NaN);
  if (Number.isNaN(date.getTime())) return '--:--:--.---';
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Every field but those shown elsewhere, each in full but for unbounded values (field-value.ts). */
function renderFields(record: Record<string, unknown>): string {
  return Object.entries(record)
    .filter(([key, value]) => !OMITTED_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${key}=${renderFieldValue(value)}`)
    .join(' ');
}

/**
 * One service log line as shown by the stack. The services write JSON lines
 * (`{"level","message","service","timestamp",...}`); those become
 * `HH:MM:SS.mmm level message key=value ...` (local time, every field, a stack
 * trace on the following lines). Anything else is shown as it came.
 */
export function formatLogLine(line: string, options: LogFormatOptions): string {
  if (options.raw) return line;
  const record = parseJsonObject(line);
  if (!record) return line;
  const message = record.message ?? record.msg;
  if (typeof message !== 'string') return line;
  const level = typeof record.level === 'string' ? record.level : 'info';
  const levelColor = LEVEL_COLORS[level as keyof typeof LEVEL_COLORS];
  const levelText = level.padEnd(5);
  const parts = [
    options.paint('gray', clockTime(record.timestamp ?? record.time)),
    levelColor ? options.paint(levelColor, levelText) : levelText,
    message,
  ];
  const fields = renderFields(record);
  if (fields) parts.push(options.paint('gray', fields));
  const text = parts.join(' ');
  return typeof record.stack === 'string' ? `${text}\n${record.stack}` : text;
}
