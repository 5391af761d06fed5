import type { ParsedKey, StateRecord } from '@ecs-state/domain';
import type { ViewEntry } from '@ecs-state/state-view';
import { projectApiRecord, toInstanceEntity, toTaskEntity, type ApiRecord } from '../src';
import { concatParts, itemBytes } from '../src/v1/item-bytes';
import { instance, task } from './support/records';

function entry(state: StateRecord, modRevision: number): ViewEntry<ApiRecord> {
  const location = { kind: state.kind } as ParsedKey;
  return { key: `k${modRevision}`, kind: state.kind, state: projectApiRecord(state), location, modRevision };
}

describe('the api projection of a record', () => {
  it('keeps the v1 entity as JSON bytes, so an item is exactly what serializing the record gives', () => {
    const state = task({ id: 't1', startedBy: 'ecs-svc/1' });
    if (state.kind !== 'task') throw new Error('task expected');
    const bytes = itemBytes(entry(state, 42));
    expect(bytes.toString('utf8')).toBe(JSON.stringify({ metadata: { entityVersion: '42' }, entity: toTaskEntity(state.record) }));
  });

  it('keeps the task fields filters read', () => {
    const state = task({ id: 't2', lastStatus: 'STOPPED', startedBy: 'me' });
    if (state.kind !== 'task') throw new Error('task expected');
    const projected = projectApiRecord(state);
    expect(projected).toMatchObject({
      kind: 'task',
      fields: {
        lastStatus: 'STOPPED',
        desiredStatus: state.record.desiredStatus,
        startedBy: 'me',
        taskDefinitionArn: state.record.taskDefinitionArn,
        launchType: state.record.launchType,
        group: state.record.group,
      },
    });
  });

  it('keeps instance status, agent connection and string-named attributes', () => {
    const base = instance({ id: 'i1' });
    if (base.kind !== 'instance') throw new Error('instance expected');
    const record = { ...base.record, attributes: [{ name: 'ecs.os-type', value: 'linux' }, { name: 'flag' }, { name: 7, value: 'x' }, 'odd', { name: 'n', value: 3 }] };
    const projected = projectApiRecord({ kind: 'instance', record } as StateRecord);
    expect(projected.kind).toBe('instance');
    if (projected.kind !== 'instance') return;
    expect(projected.fields).toEqual({
      status: record.status,
      agentConnected: record.agentConnected,
      attributes: [
        { name: 'ecs.os-type', value: 'linux' },
        { name: 'flag', value: undefined },
        { name: 'n', value: undefined },
      ],
    });
    expect(JSON.parse(projected.entity.toString('utf8'))).toEqual(JSON.parse(JSON.stringify(toInstanceEntity(record as typeof base.record))));
  });
});

describe('concatParts', () => {
  it('joins text and bytes in order, counting multi-byte characters by their UTF-8 length', () => {
    const out = concatParts(['{"a":', Buffer.from('"é"'), ',"b":"ü"}']);
    expect(out.toString('utf8')).toBe('{"a":"é","b":"ü"}');
    expect(out.length).toBe(Buffer.byteLength('{"a":"é","b":"ü"}'));
  });
});
