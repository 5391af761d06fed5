import { canonicalJson, normalizeTask, recordsEqual } from '../index';
import type { TaskRecord } from '../index';
import { FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';

const sample = loadReferenceEvent(FARGATE_TASK_SAMPLE);
const eventDetail = (): Record<string, unknown> => structuredClone(sample.envelope.detail);

const TIMESTAMPS_IN_SAMPLE = ['createdAt', 'connectivityAt', 'pullStartedAt', 'startedAt', 'pullStoppedAt'] as const;

/**
 * What DescribeTasks returns through AWS SDK v3 for the state in the sample:
 * Date objects for timestamps, optional members present as undefined, and no
 * `updatedAt` (an event-only property).
 */
function sdkTaskFromSample(): Record<string, unknown> {
  const detail = eventDetail();
  const task: Record<string, unknown> = { ...detail };
  delete task['updatedAt'];
  for (const field of TIMESTAMPS_IN_SAMPLE) {
    task[field] = new Date(detail[field] as string);
  }
  task['stoppedAt'] = undefined;
  task['stoppingAt'] = undefined;
  task['containerInstanceArn'] = undefined;
  task['containers'] = (detail['containers'] as Record<string, unknown>[]).map((container) => ({
    ...container,
    exitCode: undefined,
    reason: undefined,
  }));
  return task;
}

function normalized(input: unknown): TaskRecord {
  const result = normalizeTask(input);
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

describe('normalizeTask: canonical form', () => {
  it('reads the published Fargate task event detail', () => {
    const record = normalized(eventDetail());
    expect(record.taskArn).toBe('arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad');
    expect(record.clusterArn).toBe('arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster');
    expect(record.version).toBe(4);
    expect(record.lastStatus).toBe('RUNNING');
    expect(record.desiredStatus).toBe('RUNNING');
    expect(record.containerInstanceArn).toBeUndefined();
    expect(record.createdAt).toBe('2020-01-23T17:57:34.402Z');
    expect(record.containers?.[0]?.name).toBe('FargateApp');
    // Properties the record type does not list are kept as they came.
    expect(record['platformVersion']).toBe('1.3.0');
    expect(record['attachments']).toEqual((sample.envelope.detail as Record<string, unknown>)['attachments']);
  });

  it('leaves out updatedAt, which DescribeTasks never returns', () => {
    expect(eventDetail()['updatedAt']).toBeDefined();
    expect(normalized(eventDetail())).not.toHaveProperty('updatedAt');
  });

  it('normalizes an SDK Task with Date objects to the identical record', () => {
    const fromEvent = normalized(eventDetail());
    const fromSdk = normalized(sdkTaskFromSample());
    expect(fromSdk).toStrictEqual(fromEvent);
    expect(canonicalJson(fromSdk)).toBe(canonicalJson(fromEvent));
    expect(recordsEqual(fromSdk, fromEvent)).toBe(true);
    expect(fromSdk.startedAt).toBe('2020-01-23T17:57:58.103Z');
  });

  it('gives whole-second event timestamps milliseconds, matching the Date from the API', () => {
    const detail = { ...eventDetail(), stoppingAt: '2020-01-23T18:00:00Z', executionStoppedAt: '2020-01-23T19:00:00+01:00' };
    const sdk = { ...sdkTaskFromSample(), stoppingAt: new Date(Date.UTC(2020, 0, 23, 18)), executionStoppedAt: new Date(Date.UTC(2020, 0, 23, 18)) };
    const fromEvent = normalized(detail);
    expect(fromEvent.stoppingAt).toBe('2020-01-23T18:00:00.000Z');
    expect(fromEvent.executionStoppedAt).toBe('2020-01-23T18:00:00.000Z');
    expect(canonicalJson(normalized(sdk))).toBe(canonicalJson(fromEvent));
  });

  it('normalizes timestamps at any depth', () => {
    const detail = eventDetail();
    const containers = detail['containers'] as Record<string, unknown>[];
    containers[0] = { ...containers[0], managedAgents: [{ name: 'ExecuteCommandAgent', lastStartedAt: '2020-01-23T17:57:59Z', lastStatus: 'RUNNING' }] };
    const sdk = sdkTaskFromSample();
    const sdkContainers = sdk['containers'] as Record<string, unknown>[];
    sdkContainers[0] = {
      ...sdkContainers[0],
      managedAgents: [{ name: 'ExecuteCommandAgent', lastStartedAt: new Date('2020-01-23T17:57:59.000Z'), lastStatus: 'RUNNING', reason: undefined }],
    };
    const fromEvent = normalized(detail);
    expect(fromEvent.containers?.[0]?.['managedAgents']).toEqual([
      { name: 'ExecuteCommandAgent', lastStartedAt: '2020-01-23T17:57:59.000Z', lastStatus: 'RUNNING' },
    ]);
    expect(canonicalJson(normalized(sdk))).toBe(canonicalJson(fromEvent));
  });

  it('reads epoch seconds, the raw ECS JSON encoding, for timestamp properties', () => {
    const detail = eventDetail();
    const raw = { ...detail, createdAt: Date.parse('2020-01-23T17:57:34.402Z') / 1000 };
    expect(normalized(raw).createdAt).toBe('2020-01-23T17:57:34.402Z');
  });

  it('treats ISO strings under unlisted *At properties as timestamps, and leaves other strings alone', () => {
    const detail = { ...eventDetail(), fooStartedAt: '2021-05-05T10:00:00Z', label: '2021-05-05T10:00:00Z', notAt: 'soon' };
    const sdk = { ...sdkTaskFromSample(), fooStartedAt: new Date('2021-05-05T10:00:00Z'), label: '2021-05-05T10:00:00Z', notAt: 'soon' };
    const record = normalized(detail);
    expect(record['fooStartedAt']).toBe('2021-05-05T10:00:00.000Z');
    expect(record['label']).toBe('2021-05-05T10:00:00Z');
    expect(record['notAt']).toBe('soon');
    expect(recordsEqual(normalized(sdk), record)).toBe(true);
  });

  it('keeps properties AWS adds, at the top and nested', () => {
    const detail = eventDetail();
    detail['capacityProviderName'] = 'FARGATE_SPOT';
    detail['futureThing'] = { mode: 'x', values: [1, 'two', true, null], deeper: { a: [] } };
    (detail['containers'] as Record<string, unknown>[])[0]!['newContainerField'] = 'kept';
    const record = normalized(detail);
    expect(record['capacityProviderName']).toBe('FARGATE_SPOT');
    expect(record['futureThing']).toEqual({ mode: 'x', values: [1, 'two', true, null], deeper: { a: [] } });
    expect(record.containers?.[0]?.['newContainerField']).toBe('kept');
  });

  it('drops undefined- and null-valued properties (the SDK reads JSON null as absent)', () => {
    const withNulls = { ...eventDetail(), stoppedReason: null, stopCode: undefined };
    const record = normalized(withNulls);
    expect(Object.prototype.hasOwnProperty.call(record, 'stoppedReason')).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(record, 'stopCode')).toBe(false);
    expect(canonicalJson(record)).toBe(canonicalJson(normalized(eventDetail())));
  });

  it('is stable: a stored record read back normalizes to the same bytes', () => {
    const record = normalized(eventDetail());
    const reread = normalized(JSON.parse(canonicalJson(record)));
    expect(canonicalJson(reread)).toBe(canonicalJson(record));
    expect(reread).toStrictEqual(record);
  });

  it('keeps a "__proto__" property as data rather than changing the prototype', () => {
    const detail: unknown = JSON.parse(JSON.stringify(eventDetail()).replace(/^\{/, '{"__proto__":{"polluted":true},'));
    const record = normalized(detail);
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(record, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(canonicalJson(record)).toContain('"__proto__":{"polluted":true}');
  });

  it('accepts an EC2 task with a consistent container instance ARN in either format', () => {
    const detail = eventDetail();
    detail['launchType'] = 'EC2';
    detail['containerInstanceArn'] = 'arn:aws:ecs:us-west-2:111122223333:container-instance/FargateCluster/b54a2a04046f43319d743f6d7f6ca315';
    expect(normalized(detail).containerInstanceArn).toBe(detail['containerInstanceArn']);
    detail['containerInstanceArn'] = 'arn:aws:ecs:us-west-2:111122223333:container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315';
    expect(normalizeTask(detail).ok).toBe(true);
  });
});

describe('normalizeTask: rejections', () => {
  type Case = [label: string, mutate: (detail: Record<string, unknown>) => unknown, reason: string, message: string];
  const cases: Case[] = [
    ['an array', () => [], 'not_an_object', 'task must be an object, got array'],
    ['null', () => null, 'not_an_object', 'got null'],
    ['a Map', () => new Map(), 'not_an_object', 'got object'],
    ['missing taskArn', (d) => { delete d['taskArn']; return d; }, 'missing_field', 'taskArn is missing'],
    ['missing clusterArn', (d) => { delete d['clusterArn']; return d; }, 'missing_field', 'clusterArn is missing'],
    ['missing lastStatus', (d) => { delete d['lastStatus']; return d; }, 'missing_field', 'lastStatus is missing'],
    ['null desiredStatus', (d) => ({ ...d, desiredStatus: null }), 'missing_field', 'desiredStatus is missing'],
    ['numeric lastStatus', (d) => ({ ...d, lastStatus: 3 }), 'invalid_field', 'lastStatus must be a non-empty string, got number'],
    ['empty desiredStatus', (d) => ({ ...d, desiredStatus: '' }), 'invalid_field', 'desiredStatus must be a non-empty string, got an empty string'],
    ['numeric startedBy', (d) => ({ ...d, startedBy: 7 }), 'invalid_field', 'startedBy must be a string, got number'],
    ['containers not an array', (d) => ({ ...d, containers: {} }), 'invalid_field', 'containers must be an array of objects, got object'],
    ['container exitCode as string', (d) => ({ ...d, containers: [{ name: 'a', exitCode: '1' }] }), 'invalid_field', 'containers[0].exitCode must be a number, got string'],
    ['missing version', (d) => { delete d['version']; return d; }, 'missing_version', 'version is missing'],
    ['string version', (d) => ({ ...d, version: '4' }), 'invalid_version', 'version must be a non-negative integer, got string'],
    ['negative version', (d) => ({ ...d, version: -1 }), 'invalid_version', 'got -1'],
    ['fractional version', (d) => ({ ...d, version: 1.5 }), 'invalid_version', 'got 1.5'],
    ['unsafe version', (d) => ({ ...d, version: 2 ** 60 }), 'invalid_version', 'non-negative integer'],
    ['invalid createdAt', (d) => ({ ...d, createdAt: 'yesterday' }), 'invalid_field', 'createdAt: "yesterday" is not an ISO-8601 date-time'],
    ['impossible date', (d) => ({ ...d, startedAt: '2020-02-30T00:00:00Z' }), 'invalid_field', 'startedAt:'],
    ['timestamp as boolean', (d) => ({ ...d, stoppedAt: true }), 'invalid_field', 'stoppedAt: expected a timestamp, got boolean'],
    ['invalid Date', (d) => ({ ...d, createdAt: new Date(Number.NaN) }), 'invalid_field', 'createdAt: is an invalid Date'],
    ['nested invalid timestamp', (d) => ({ ...d, containers: [{ managedAgents: [{ lastStartedAt: 'x' }] }] }), 'invalid_field', 'containers[0].managedAgents[0].lastStartedAt'],
    ['a function', (d) => ({ ...d, extra: () => 1 }), 'invalid_field', 'extra: a function value is not JSON data'],
    ['a bigint', (d) => ({ ...d, extra: { n: BigInt(1) } }), 'invalid_field', 'extra.n: a bigint value'],
    ['an infinite number', (d) => ({ ...d, cpuUnits: Infinity }), 'invalid_field', 'cpuUnits: Infinity is not a finite number'],
    ['an odd key path', (d) => ({ ...d, 'a b': [Symbol('s')] }), 'invalid_field', '["a b"][0]: a symbol value'],
    ['bad taskArn', (d) => ({ ...d, taskArn: 'arn:aws:ecs:us-west-2:111122223333:task/a/b/c' }), 'invalid_arn', 'taskArn: task ARN'],
    ['bad clusterArn', (d) => ({ ...d, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/a/b' }), 'invalid_arn', 'clusterArn: cluster ARN'],
    ['bad containerInstanceArn', (d) => ({ ...d, containerInstanceArn: 'i-123' }), 'invalid_arn', 'containerInstanceArn: container instance ARN'],
    [
      'task in another cluster',
      (d) => ({ ...d, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/Other' }),
      'arn_mismatch',
      'names cluster "FargateCluster" but clusterArn names "Other"',
    ],
    [
      'task in another account',
      (d) => ({ ...d, clusterArn: 'arn:aws:ecs:us-west-2:999988887777:cluster/FargateCluster' }),
      'arn_mismatch',
      'but clusterArn',
    ],
    [
      'container instance in another region',
      (d) => ({ ...d, containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315' }),
      'arn_mismatch',
      'containerInstanceArn',
    ],
  ];

  it.each(cases)('rejects %s', (_label, mutate, reason, message) => {
    const result = normalizeTask(mutate(eventDetail()));
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message).toContain(message);
  });

  it('rejects structures nested too deeply (and so cycles) without throwing', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 100; i += 1) {
      const next = {};
      deep['n'] = next;
      deep = next;
    }
    expect(normalizeTask({ ...eventDetail(), extra: root })).toMatchObject({ ok: false, reason: 'invalid_field', message: expect.stringContaining('nested deeper than') });
    const cyclic: Record<string, unknown> = { ...eventDetail() };
    cyclic['self'] = cyclic;
    expect(normalizeTask(cyclic)).toMatchObject({ ok: false, reason: 'invalid_field' });
  });

  it('reports a throwing getter as a rejection instead of throwing', () => {
    const detail = eventDetail();
    Object.defineProperty(detail, 'trap', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(normalizeTask(detail)).toMatchObject({ ok: false, reason: 'invalid_field', message: expect.stringContaining('boom') });
  });
});
