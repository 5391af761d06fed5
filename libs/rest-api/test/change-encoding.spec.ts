import type { ParsedKey, RecordKind, StateRecord } from '@ecs-state/domain';
import { projectApiRecord, type ApiRecord } from '../src';
import { encodeChanges } from '../src/streams/change-encoding';
import type { ApiChange, ApiEntry } from '../src/v1/api-record';
import { instance, task } from './support/records';

function entryOf(state: StateRecord, modRevision: number): ApiEntry {
  return { key: `k-${modRevision}`, kind: state.kind, state: projectApiRecord(state) as ApiRecord, location: { kind: state.kind } as ParsedKey, modRevision };
}

function put(state: StateRecord, revision: number): ApiChange {
  const entry = entryOf(state, revision);
  return { type: 'put', key: entry.key, kind: entry.kind, revision, entry, previous: null };
}

function del(kind: RecordKind, revision: number, previous: ApiEntry | null): ApiChange {
  return { type: 'delete', key: `gone-${revision}`, kind, revision, entry: null, previous };
}

const lines = (bytes: Buffer | null) => (bytes === null ? [] : bytes.toString('utf8').split('\n').filter((l) => l !== ''));

describe('encodeChanges', () => {
  const t1 = task({ id: 't1' });
  const t2 = task({ id: 't2', lastStatus: 'STOPPED' });
  const i1 = instance({ id: 'i1' });

  it('writes one JSON line per change of the stream kind, the item shape of a list', () => {
    const out = lines(encodeChanges([put(t1, 5), put(i1, 6), put(t2, 7)], { kind: 'task', format: 'json-lines', tombstones: false }, 4));
    expect(out.map((l) => JSON.parse(l).metadata)).toEqual([{ entityVersion: '5' }, { entityVersion: '7' }]);
    expect(JSON.parse(out[1] as string).entity.lastStatus).toBe('STOPPED');
  });

  it('sends deletes only to streams that asked for tombstones, with the last state when known', () => {
    const previous = entryOf(t1, 3);
    const batch = [del('task', 8, previous), del('task', 9, null)];
    expect(encodeChanges(batch, { kind: 'task', format: 'json-lines', tombstones: false }, 7)).toBeNull();
    const out = lines(encodeChanges(batch, { kind: 'task', format: 'json-lines', tombstones: true }, 7)).map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ metadata: { entityVersion: '8', deleted: true }, entity: { taskARN: expect.stringContaining('/t1') } });
    expect(out[1]).toEqual({ metadata: { entityVersion: '9', deleted: true } });
  });

  it('marks only the last SSE event of a revision with its id', () => {
    const text = encodeChanges([put(t1, 10), put(t2, 10), put(t1, 11)], { kind: 'task', format: 'sse', tombstones: false }, 9)?.toString('utf8') ?? '';
    const events = text.split('\n\n').filter((e) => e !== '');
    expect(events.map((e) => e.split('\n')[0]?.startsWith('id: ') ? e.split('\n')[0] : 'no id')).toEqual(['no id', 'id: 10', 'id: 11']);
    expect(events.every((e) => e.split('\n').some((l) => l.startsWith('data: {"metadata"')))).toBe(true);
  });

  it('encodes a batch once per encoding and hands every up-to-date stream the same bytes', () => {
    const batch = [put(t1, 20), put(t2, 21)];
    const encoding = { kind: 'task' as const, format: 'json-lines' as const, tombstones: false };
    const first = encodeChanges(batch, encoding, 19);
    expect(encodeChanges(batch, { ...encoding }, 15)).toBe(first);
    expect(encodeChanges(batch, { ...encoding, format: 'sse' }, 19)).not.toBe(first);
  });

  it('leaves out what a stream already has when a batch overlaps it', () => {
    const batch = [put(t1, 30), put(t2, 31)];
    const encoding = { kind: 'task' as const, format: 'json-lines' as const, tombstones: false };
    const shared = encodeChanges(batch, encoding, 29);
    const overlapping = encodeChanges(batch, encoding, 30);
    expect(lines(overlapping).map((l) => JSON.parse(l).metadata.entityVersion)).toEqual(['31']);
    expect(lines(shared)).toHaveLength(2);
    expect(encodeChanges(batch, encoding, 31)).toBeNull();
  });
});
