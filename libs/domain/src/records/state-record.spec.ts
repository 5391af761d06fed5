import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';
import { canonicalJson } from '../json/canonical-json';
import { isCanonicalTree } from './json-tree';
import { normalizeParsedStateRecord, normalizeStateRecord, type RecordKind } from './state-record';

/** A reference event's detail as the store writes it (canonical JSON of the normalized record). */
function stored(kind: RecordKind, sample: string): Record<string, unknown> {
  const normalized = normalizeStateRecord(kind, loadReferenceEvent(sample).envelope.detail);
  if (!normalized.ok) throw new Error(normalized.message);
  return JSON.parse(canonicalJson(normalized.value.record)) as Record<string, unknown>;
}

const deep = (levels: number): unknown => (levels === 0 ? 'x' : { a: deep(levels - 1) });

/** Well-formed stored records and every way a value may stray from that form (or be invalid). */
function variants(kind: RecordKind, sample: string): [string, unknown][] {
  const base = stored(kind, sample);
  const arn = kind === 'task' ? 'taskArn' : 'containerInstanceArn';
  return [
    ['as stored', base],
    ['the event detail as published', loadReferenceEvent(sample).envelope.detail],
    ['keys out of order', { version: base['version'], ...base }],
    ['a null property', { ...base, zzz: null }],
    ['nulls inside an array', { ...base, zzz: [null, 1, null] }],
    ['an event-only property', { ...base, updatedAt: '2020-01-23T17:57:58.103Z' }],
    ['a timestamp in epoch seconds', { ...base, createdAt: 1579802278.103 }],
    ['a timestamp without milliseconds', { ...base, registeredAt: '2020-01-23T17:57:58Z', createdAt: '2020-01-23T17:57:58Z' }],
    ['an impossible timestamp', { ...base, createdAt: '2020-02-30T17:57:58.103Z' }],
    ['a boolean timestamp', { ...base, createdAt: true }],
    ['a by-name timestamp that is no date', { ...base, zzzAt: 'soon' }],
    ['a by-name ISO timestamp', { ...base, zzzAt: '2020-01-23T18:57:58+01:00' }],
    ['integer-like keys', { ...base, zzz: { '10': 1, '9': 2 } }],
    ['integer-like keys in order', { ...base, zzz: { '1': 1, '2': 2 } }],
    ['a __proto__ key', JSON.parse(`${JSON.stringify(base).slice(0, -1)},"zzz":{"__proto__":{"a":1}}}`)],
    ['nested 64 levels', { ...base, zzz: deep(62) }],
    ['nested 65 levels', { ...base, zzz: deep(64) }],
    ['no version', { ...base, version: undefined }],
    ['a negative version', { ...base, version: -1 }],
    ['a bad ARN', { ...base, [arn]: 'arn:aws:ecs:nowhere' }],
    ['another cluster', { ...base, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/other' }],
    ['containers that are not objects', { ...base, containers: ['x'] }],
    ['a wrongly typed field', { ...base, lastStatus: 7, status: 7 }],
    ['an array', [base]],
    ['a string', 'task'],
  ];
}

describe('normalizeParsedStateRecord', () => {
  const cases: [RecordKind, string][] = [
    ['task', FARGATE_TASK_SAMPLE],
    ['instance', CONTAINER_INSTANCE_SAMPLE],
  ];

  it.each(cases)('agrees with normalizeStateRecord on every variant of a %s, property order included', (kind, sample) => {
    for (const [name, value] of variants(kind, sample)) {
      // Each side parses its own copy, as a decoder does: the fast path may keep what it is given.
      const text = JSON.stringify(value);
      const fast = normalizeParsedStateRecord(kind, JSON.parse(text));
      const strict = normalizeStateRecord(kind, JSON.parse(text));
      expect({ name, ok: fast.ok, result: JSON.stringify(fast) }).toEqual({ name, ok: strict.ok, result: JSON.stringify(strict) });
    }
  });

  it.each(cases)('keeps a stored %s as parsed, without a copy', (kind, sample) => {
    const parsed = stored(kind, sample);
    expect(isCanonicalTree(parsed, ['updatedAt'])).toBe(true);
    const result = normalizeParsedStateRecord(kind, parsed);
    expect(result.ok && result.value.record).toBe(parsed);
  });

  it('takes the copying path for each way a tree differs from its canonical copy', () => {
    const differing = variants('task', FARGATE_TASK_SAMPLE).filter(([name]) =>
      ['keys out of order', 'a null property', 'an event-only property', 'a timestamp in epoch seconds', 'a timestamp without milliseconds', 'integer-like keys', 'nested 65 levels'].includes(name),
    );
    expect(differing).toHaveLength(7);
    for (const [name, value] of differing) expect({ name, canonical: isCanonicalTree(value as Record<string, unknown>, ['updatedAt']) }).toEqual({ name, canonical: false });
  });
});
