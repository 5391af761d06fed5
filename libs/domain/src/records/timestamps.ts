import { quote } from '../text/quote';

/**
 * Properties that hold a point in time in ECS `Task`, `Container`,
 * `ContainerInstance` and their nested structures. The SDK delivers them as
 * `Date`, events as ISO-8601 strings and the raw JSON API as epoch seconds;
 * all become `Date#toISOString()` strings.
 */
export const TIMESTAMP_PROPERTIES: ReadonlySet<string> = new Set([
  'connectivityAt',
  'createdAt',
  'executionStoppedAt',
  'finishedAt',
  'lastStartedAt',
  'lastStatusChange',
  'lastUpdated',
  'pullStartedAt',
  'pullStoppedAt',
  'registeredAt',
  'startedAt',
  'stoppedAt',
  'stoppingAt',
  'updatedAt',
]);

// ECS names new time properties `<something>At`; treating ISO strings under
// such names as timestamps keeps the two sources equal for fields added later.
const TIMESTAMP_NAME_PATTERN = /[a-z0-9]At$/;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

export type TimestampRole = 'known' | 'by-name' | 'none';

export function timestampRole(propertyName: string): TimestampRole {
  if (TIMESTAMP_PROPERTIES.has(propertyName)) return 'known';
  // endsWith first: nearly every property fails it, and it is much cheaper than the pattern.
  if (propertyName.endsWith('At') && TIMESTAMP_NAME_PATTERN.test(propertyName)) return 'by-name';
  return 'none';
}

export function isDate(value: unknown): value is Date {
  // Not `instanceof`: Dates from another realm (vm contexts) must count too.
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** `undefined` for an invalid Date, whose toISOString() would throw. */
export function dateToIso(value: Date): string | undefined {
  const time = value.getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** Parses an ISO-8601 date-time with a zone; `undefined` when it is not one. */
export function isoStringToIso(value: string): string | undefined {
  // Events and stored records already carry exactly this form: recognise it
  // without building Dates, the common case by far.
  if (isCanonicalIso(value)) return value;
  const match = ISO_8601.exec(value);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second = 0, zoneHour = 0, zoneMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  // Date.parse silently rolls impossible dates over (Feb 30 -> Mar 2).
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return undefined;
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(year, month, 0);
  const daysInMonth = lastOfMonth.getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || zoneHour > 23 || zoneMinute > 59) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

const DIGIT_POSITIONS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DDTHH:MM:SS.mmmZ` naming a real instant: what `Date#toISOString()` returns for years 0 to 9999. */
export function isCanonicalIso(value: string): boolean {
  if (
    value.length !== 24 ||
    value[4] !== '-' ||
    value[7] !== '-' ||
    value[10] !== 'T' ||
    value[13] !== ':' ||
    value[16] !== ':' ||
    value[19] !== '.' ||
    value[23] !== 'Z'
  ) {
    return false;
  }
  for (const position of DIGIT_POSITIONS) {
    const code = value.charCodeAt(position);
    if (code < 48 || code > 57) return false;
  }
  const number = (from: number, to: number): number => Number(value.slice(from, to));
  const year = number(0, 4);
  const month = number(5, 7);
  const day = number(8, 10);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day <= days && number(11, 13) <= 23 && number(14, 16) <= 59 && number(17, 19) <= 59;
}

/** ECS's JSON protocol sends timestamps as (fractional) epoch seconds. */
export function epochSecondsToIso(value: number): string | undefined {
  const date = new Date(Math.round(value * 1000));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function describeTimestampProblem(value: string): string {
  return `${quote(value)} is not an ISO-8601 date-time with a time zone`;
}
