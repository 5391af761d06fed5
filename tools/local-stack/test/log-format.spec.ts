import { painter } from '../src/ansi';
import { formatLogLine } from '../src/log-format';

const plain = { raw: false, paint: painter(false) };
const timestamp = '2024-05-01T10:20:30.456Z';
const localClock = (() => {
  const d = new Date(timestamp);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
})();

describe('formatLogLine', () => {
  it('renders a service JSON line as time, level, message and the other fields', () => {
    const line = JSON.stringify({ level: 'info', message: 'ingesting', pollers: 4, queueUrl: 'http://q/1', service: 'ingestor', timestamp });
    expect(formatLogLine(line, plain)).toBe(`${localClock} info  ingesting pollers=4 queueUrl=http://q/1`);
  });

  it('quotes strings with spaces and writes objects as JSON', () => {
    const line = JSON.stringify({ level: 'warn', message: 'slow', reason: 'two words', totals: { a: 1 }, errors: [], timestamp });
    expect(formatLogLine(line, plain)).toBe(`${localClock} warn  slow reason="two words" totals={"a":1} errors=[]`);
  });

  it('cuts long field lists', () => {
    const line = JSON.stringify({ level: 'info', message: 'm', blob: 'x'.repeat(500), timestamp });
    const text = formatLogLine(line, { ...plain, maxFieldsLength: 40 });
    expect(text).toBe(`${localClock} info  m ${`blob=${'x'.repeat(34)}`}…`);
  });

  it('puts a stack trace on the following lines', () => {
    const line = JSON.stringify({ level: 'error', message: 'boom', stack: 'Error: boom\n    at x (y.ts:1:1)', timestamp });
    expect(formatLogLine(line, plain)).toBe(`${localClock} error boom\nError: boom\n    at x (y.ts:1:1)`);
  });

  it('colours the level when painting', () => {
    const line = JSON.stringify({ level: 'error', message: 'boom', timestamp });
    expect(formatLogLine(line, { raw: false, paint: painter(true) })).toContain('\u001b[31merror\u001b[0m boom');
  });

  it('leaves anything that is not a JSON log line alone', () => {
    for (const line of ['ecs-sim listening on http://127.0.0.1:4566', '{not json}', '{"level":"info"}', '[1,2]', '']) {
      expect(formatLogLine(line, plain)).toBe(line);
    }
  });

  it('passes JSON through untouched in raw mode', () => {
    const line = JSON.stringify({ level: 'info', message: 'hi', timestamp });
    expect(formatLogLine(line, { ...plain, raw: true })).toBe(line);
  });
});
