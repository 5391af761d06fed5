import { normalizeTask, parseKey, parseKeyPrefix, type StateRecord } from '@ecs-state/domain';
import { stateRecordCodec } from '@ecs-state/etcd-store';
import { FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';
import { createTolerantCodec } from './tolerant-codec';

const prefix = (() => {
  const parsed = parseKeyPrefix('/codec-test');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
})();

/** The reference Fargate task, stopped. */
const state = ((): StateRecord => {
  const normalized = normalizeTask({ ...loadReferenceEvent(FARGATE_TASK_SAMPLE).envelope.detail, lastStatus: 'STOPPED' });
  if (!normalized.ok) throw new Error(normalized.message);
  return { kind: 'task', record: normalized.value };
})();

describe('the view codec', () => {
  const writer = stateRecordCodec(prefix);
  const key = writer.keyOf(state);
  const bytes = Buffer.from(writer.encode(state));

  it('keeps what the projection makes of each record, with its key parsed', () => {
    const codec = createTolerantCodec(prefix, (record) => (record.kind === 'task' ? record.record.lastStatus : 'instance'));
    expect(codec.decode(key, bytes)).toEqual({ ok: true, state: 'STOPPED', location: parseKey(prefix, key) });
  });

  it('reports values it cannot read instead of throwing, without calling the projection', () => {
    const project = jest.fn(() => 'never');
    const codec = createTolerantCodec(prefix, project);
    expect(codec.decode(key, Buffer.from('{not json'))).toMatchObject({ ok: false });
    expect(codec.decode(`${key}-elsewhere`, bytes)).toMatchObject({ ok: false });
    expect(project).not.toHaveBeenCalled();
  });

  it('refuses to write: the view only reads', () => {
    const codec = createTolerantCodec(prefix, (record) => record);
    expect(() => codec.encode({ ok: true, state, location: parseKey(prefix, key)! })).toThrow('does not write');
  });
});
