import { ApiError, MESSAGES } from '../http/api-error';

export const MAX_QUERY_VALUE_LENGTH = 1600;

/**
 * The original's rules: any parameter it does not know is an error, and so is
 * a parameter given twice. Returns the parameters as single strings.
 */
export function strictQuery(query: unknown, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (query === null || typeof query !== 'object') return out;
  const entries = Object.entries(query as Record<string, unknown>);
  if (entries.some(([name]) => !allowed.includes(name))) throw new ApiError(400, MESSAGES.unsupportedFilter);
  for (const [name, value] of entries) {
    if (Array.isArray(value)) throw new ApiError(400, MESSAGES.repeatedFilter);
    const text = String(value);
    if (text.length > MAX_QUERY_VALUE_LENGTH) throw new ApiError(400, MESSAGES.parameterTooLong);
    out[name] = text;
  }
  return out;
}

export function parseBooleanParam(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new ApiError(400, MESSAGES.invalidBoolean);
}
