import { painter } from './ansi';
import { formatLogLine } from './log-format';

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

  it('keeps every field of a cluster reconcile report, drift counts included, however long the line', () => {
    const report = {
      level: 'info',
      message: 'cluster reconciled',
      service: 'reconciler',
      timestamp,
      runId: '4d1d5d2a-e142-4a80-8aa1-8e121deb429c',
      cluster: 'arn:aws:ecs:us-east-1:000000000000:cluster/workload-0',
      outcome: 'reconciled',
      durationMs: 52,
      ecsCalls: 7,
      errors: [],
      instances: { added: 0, deleted: 0, unchanged: 1, updated: 0 },
      tasks: { added: 3, deleted: 1, unchanged: 40, updated: 2 },
    };
    const text = formatLogLine(JSON.stringify(report), plain);
    expect(text).toBe(
      `${localClock} info  cluster reconciled runId=4d1d5d2a-e142-4a80-8aa1-8e121deb429c ` +
        'cluster=arn:aws:ecs:us-east-1:000000000000:cluster/workload-0 outcome=reconciled durationMs=52 ecsCalls=7 errors=[] ' +
        'instances={"added":0,"deleted":0,"unchanged":1,"updated":0} tasks={"added":3,"deleted":1,"unchanged":40,"updated":2}',
    );
    expect(text.length).toBeGreaterThan(300);
  });

  it("shows a run report's nested totals in full", () => {
    const totals = { clusters: 3, ecsCalls: 21, failedClusters: 0, instances: { added: 0, deleted: 0 }, tasks: { added: 5, deleted: 2 } };
    const line = JSON.stringify({ level: 'info', message: 'reconcile run finished', timestamp, totals, finishedAt: '2024-05-01T10:20:31.000Z' });
    expect(formatLogLine(line, plain)).toBe(`${localClock} info  reconcile run finished totals=${JSON.stringify(totals)} finishedAt=2024-05-01T10:20:31.000Z`);
  });

  it('shortens long free text and says by how much, keeping the fields after it', () => {
    const line = JSON.stringify({ level: 'warn', message: 'm', body: 'x'.repeat(500), errors: [{ message: 'y'.repeat(250) }], after: 1, timestamp });
    expect(formatLogLine(line, plain)).toBe(
      `${localClock} warn  m body="${'x'.repeat(200)}…(+300 chars)" errors=[{"message":"${'y'.repeat(200)}…(+50 chars)"}] after=1`,
    );
  });

  it('shows the first 20 items of a longer array and how many more there are', () => {
    const line = JSON.stringify({ level: 'info', message: 'm', ids: Array.from({ length: 25 }, (_, i) => i), timestamp });
    expect(formatLogLine(line, plain)).toBe(`${localClock} info  m ids=[${Array.from({ length: 20 }, (_, i) => i).join(',')},…(+5 items)]`);
  });

  it('sums up objects and arrays below the third level', () => {
    const line = JSON.stringify({ level: 'info', message: 'm', a: { b: { c: { d: { e: 1 } }, list: [[1], [[2]], []] } }, timestamp });
    expect(formatLogLine(line, plain)).toBe(`${localClock} info  m a={"b":{"c":{"d":{…1 key}},"list":[[…1 item],[…1 item],[]]}}`);
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
