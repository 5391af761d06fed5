import { parseKeyPrefix } from '@ecs-state/domain';
import { stateRecordCodec } from '@ecs-state/etcd-store';
import { createTolerantCodec } from '../src';
import { task } from './support/records';

const prefix = (() => {
  const parsed = parseKeyPrefix('/codec-test');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
})();

describe('the view codec', () => {
  const state = task({ id: 'c1', lastStatus: 'STOPPED' });
  const writer = stateRecordCodec(prefix);
  const key = writer.keyOf(state);
  const bytes = Buffer.from(writer.encode(state));

  it('keeps what the projection makes of each record', () => {
    const codec = createTolerantCodec(prefix, (record) => (record.kind === 'task' ? record.record.lastStatus : 'instance'));
    expect(codec.decode(key, bytes)).toEqual({ ok: true, state: 'STOPPED' });
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
    expect(() => codec.encode({ ok: true, state })).toThrow('does not write');
  });
});
