import { MAX_RECORD_DEPTH, toCanonicalTree } from './json-tree';

function failure(input: Record<string, unknown>): string {
  const result = toCanonicalTree(input);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.value)}`);
  expect(result.reason).toBe('invalid_field');
  return result.message;
}

describe('toCanonicalTree', () => {
  it('normalises timestamps at any depth and from every source', () => {
    const result = toCanonicalTree({
      createdAt: '2020-01-23T17:57:58.1+01:00',
      stoppedAt: 1579802278.103,
      containers: [{ lastStatusChange: new Date(Date.UTC(2020, 0, 23, 16, 57, 58, 103)), customAt: '2020-01-23T16:57:58Z' }],
      startedAt: '2020-01-23T16:57:58.103Z',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        createdAt: '2020-01-23T16:57:58.100Z',
        stoppedAt: '2020-01-23T17:57:58.103Z',
        containers: [{ lastStatusChange: '2020-01-23T16:57:58.103Z', customAt: '2020-01-23T16:57:58.000Z' }],
        startedAt: '2020-01-23T16:57:58.103Z',
      },
    });
  });

  it('drops null and undefined properties but keeps nulls inside arrays', () => {
    expect(toCanonicalTree({ a: null, b: undefined, c: [1, null, undefined], d: { e: null } })).toEqual({
      ok: true,
      value: { c: [1, null, null], d: {} },
    });
  });

  it('keeps strings that only look like timestamp names when they are not date-times', () => {
    expect(toCanonicalTree({ lookAt: 'the sky', details: { updatedBy: 'x' } })).toEqual({
      ok: true,
      value: { lookAt: 'the sky', details: { updatedBy: 'x' } },
    });
  });

  it('keeps a "__proto__" property as data', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const result = toCanonicalTree(input);
    if (!result.ok) throw new Error(result.message);
    expect(Object.keys(result.value)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });

  it('rejects impossible dates under known timestamp names, even in the canonical form', () => {
    expect(failure({ createdAt: '2021-02-30T00:00:00.000Z' })).toBe('createdAt: "2021-02-30T00:00:00.000Z" is not an ISO-8601 date-time with a time zone');
  });

  it('accepts canonical timestamps only when they name a real instant', () => {
    for (const valid of ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '0000-01-01T00:00:00.000Z', '2020-12-31T12:00:00.000Z']) {
      expect(toCanonicalTree({ createdAt: valid })).toEqual({ ok: true, value: { createdAt: valid } });
    }
    for (const invalid of ['2023-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2020-04-31T00:00:00.000Z', '2020-01-01T24:00:00.000Z', '2020-13-01T00:00:00.000Z', '2020-01-01T00:60:00.000Z', '2020-01-01T00:00:60.000Z', '2020-00-10T00:00:00.000Z', '2020-01-00T00:00:00.000Z', '2020-01-0xT00:00:00.000Z']) {
      expect(failure({ createdAt: invalid })).toBe(`createdAt: ${JSON.stringify(invalid)} is not an ISO-8601 date-time with a time zone`);
    }
  });

  it('leaves out the named top-level properties only', () => {
    expect(toCanonicalTree({ note: 'dropped', keep: 1, a: { note: 'kept' } }, ['note'])).toEqual({ ok: true, value: { keep: 1, a: { note: 'kept' } } });
  });

  it('names the path of the offending value', () => {
    expect(failure({ containers: [{ name: 'a' }, { name: 'b', finishedAt: 'soon' }] })).toBe(
      'containers[1].finishedAt: "soon" is not an ISO-8601 date-time with a time zone',
    );
    expect(failure({ attributes: { 'ecs.os type': Number.POSITIVE_INFINITY } })).toBe('attributes["ecs.os type"]: Infinity is not a finite number');
    expect(failure({ 'odd key': [[1, () => 0]] })).toBe('["odd key"][0][1]: a function value is not JSON data');
  });

  it('rejects values of the wrong kind under known timestamp names', () => {
    expect(failure({ stoppedAt: true })).toBe('stoppedAt: expected a timestamp, got boolean');
    expect(failure({ stoppedAt: ['2020-01-23T16:57:58.103Z'] })).toMatch(/^stoppedAt: expected a timestamp, got /);
    expect(failure({ stoppedAt: new Date(Number.NaN) })).toBe('stoppedAt: is an invalid Date');
  });

  it('stops at the depth limit', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < MAX_RECORD_DEPTH + 1; i++) deep = { n: deep };
    expect(failure(deep)).toMatch(/^n(\.n)+: nested deeper than 64 levels$/);
  });
});
