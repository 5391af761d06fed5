import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';
import { canonicalJson, DEFAULT_KEY_PREFIX, keyForRecord, normalizeContainerInstance, normalizeTask, storedRecordVersion, type StateRecord } from '../index';

function stored(state: StateRecord): { key: string; value: Record<string, unknown> } {
  const key = keyForRecord(DEFAULT_KEY_PREFIX, state);
  if (!key.ok) throw new Error(key.message);
  return { key: key.value, value: JSON.parse(canonicalJson(state.record)) as Record<string, unknown> };
}

function sampleStates(): StateRecord[] {
  const task = normalizeTask(loadReferenceEvent(FARGATE_TASK_SAMPLE).envelope.detail as Record<string, unknown>);
  const instance = normalizeContainerInstance(loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE).envelope.detail as Record<string, unknown>);
  if (!task.ok || !instance.ok) throw new Error('the reference samples must normalise');
  return [
    { kind: 'task', record: task.value },
    { kind: 'instance', record: instance.value },
  ];
}

describe('storedRecordVersion', () => {
  it.each(sampleStates().map((state) => [state.kind, state] as const))('reads the version of a stored %s', (_kind, state) => {
    const { key, value } = stored(state);
    expect(storedRecordVersion(DEFAULT_KEY_PREFIX, key, value)).toEqual({ ok: true, value: state.record.version });
  });

  it('refuses a record stored under another resource’s key', () => {
    const [task] = sampleStates();
    const { key, value } = stored(task as StateRecord);
    const elsewhere = key.replace(/[0-9a-f]{32}$/, '0'.repeat(32));
    expect(elsewhere).not.toBe(key);
    const result = storedRecordVersion(DEFAULT_KEY_PREFIX, elsewhere, value);
    expect(result).toMatchObject({ ok: false, reason: 'not_a_stored_record' });
    expect(result.ok ? '' : result.message).toContain(`belongs at ${key}`);
  });

  it.each([
    ['a non-object', () => 'text'],
    ['a missing version', (v: Record<string, unknown>) => ({ ...v, version: undefined })],
    ['a negative version', (v: Record<string, unknown>) => ({ ...v, version: -1 })],
    ['a fractional version', (v: Record<string, unknown>) => ({ ...v, version: 1.5 })],
    ['a version as text', (v: Record<string, unknown>) => ({ ...v, version: '3' })],
    ['no task ARN', (v: Record<string, unknown>) => ({ ...v, taskArn: undefined })],
    ['no cluster ARN', (v: Record<string, unknown>) => ({ ...v, clusterArn: 7 })],
  ])('refuses %s', (_name, change) => {
    const [task] = sampleStates();
    const { key, value } = stored(task as StateRecord);
    expect(storedRecordVersion(DEFAULT_KEY_PREFIX, key, change(value))).toMatchObject({ ok: false, reason: 'not_a_stored_record' });
  });

  it('refuses a key outside the layout', () => {
    const [task] = sampleStates();
    expect(storedRecordVersion(DEFAULT_KEY_PREFIX, '/elsewhere/x', stored(task as StateRecord).value)).toMatchObject({ ok: false });
  });

  it('keeps the version of a record whose other fields a later release would reject', () => {
    const [task] = sampleStates();
    const { key, value } = stored(task as StateRecord);
    expect(storedRecordVersion(DEFAULT_KEY_PREFIX, key, { ...value, lastStatus: 42 })).toEqual({ ok: true, value: (task as StateRecord).record.version });
  });
});
