import { canonicalJson, normalizeContainerInstance, recordsEqual } from '../index';
import type { ContainerInstanceRecord } from '../index';
import { CONTAINER_INSTANCE_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';

const sample = loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE);
const eventDetail = (): Record<string, unknown> => structuredClone(sample.envelope.detail);

function normalized(input: unknown): ContainerInstanceRecord {
  const result = normalizeContainerInstance(input);
  if (!result.ok) throw new Error(`${result.reason}: ${result.message}`);
  return result.value;
}

const HEALTH_FROM_EVENT = {
  overallStatus: 'OK',
  details: [{ type: 'CONTAINER_RUNTIME', status: 'OK', lastUpdated: '2016-12-06T16:41:00Z', lastStatusChange: '2016-12-06T16:40:30.5Z' }],
};

/** DescribeContainerInstances through SDK v3: Dates, undefined members, no updatedAt. */
function sdkInstanceFromEvent(detail: Record<string, unknown>): Record<string, unknown> {
  const instance: Record<string, unknown> = { ...detail, statusReason: undefined, capacityProviderName: undefined };
  delete instance['updatedAt'];
  instance['registeredAt'] = new Date(Date.UTC(2016, 11, 6, 16, 40, 12));
  instance['healthStatus'] = {
    overallStatus: 'OK',
    details: [
      {
        type: 'CONTAINER_RUNTIME',
        status: 'OK',
        lastUpdated: new Date(Date.UTC(2016, 11, 6, 16, 41, 0)),
        lastStatusChange: new Date(Date.UTC(2016, 11, 6, 16, 40, 30, 500)),
      },
    ],
  };
  return instance;
}

describe('normalizeContainerInstance', () => {
  it('reads the published container instance event detail (old-format ARN)', () => {
    const record = normalized(eventDetail());
    expect(record.containerInstanceArn).toBe('arn:aws:ecs:us-east-1:111122223333:container-instance/b54a2a04-046f-4331-9d74-3f6d7f6ca315');
    expect(record.clusterArn).toBe('arn:aws:ecs:us-east-1:111122223333:cluster/default');
    expect(record.version).toBe(14801);
    expect(record.status).toBe('ACTIVE');
    expect(record.agentConnected).toBe(true);
    expect(record['remainingResources']).toEqual((sample.envelope.detail as Record<string, unknown>)['remainingResources']);
    expect(record).not.toHaveProperty('updatedAt');
  });

  it('normalizes the SDK shape of the same state to the identical record, nested timestamps included', () => {
    const detail = { ...eventDetail(), registeredAt: '2016-12-06T16:40:12Z', healthStatus: HEALTH_FROM_EVENT };
    const fromEvent = normalized(detail);
    const fromSdk = normalized(sdkInstanceFromEvent(eventDetail()));
    expect(fromEvent.registeredAt).toBe('2016-12-06T16:40:12.000Z');
    expect(fromEvent['healthStatus']).toEqual({
      overallStatus: 'OK',
      details: [{ type: 'CONTAINER_RUNTIME', status: 'OK', lastUpdated: '2016-12-06T16:41:00.000Z', lastStatusChange: '2016-12-06T16:40:30.500Z' }],
    });
    expect(fromSdk).toStrictEqual(fromEvent);
    expect(canonicalJson(fromSdk)).toBe(canonicalJson(fromEvent));
    expect(recordsEqual(fromSdk, fromEvent)).toBe(true);
  });

  it('tells different states apart', () => {
    const a = normalized(eventDetail());
    const b = normalized({ ...eventDetail(), status: 'DRAINING', version: 14802 });
    expect(recordsEqual(a, b)).toBe(false);
  });

  it('keeps unknown properties', () => {
    const record = normalized({ ...eventDetail(), newInstanceProperty: { x: 1 } });
    expect(record['newInstanceProperty']).toEqual({ x: 1 });
  });

  it('accepts a new-format ARN of the same cluster', () => {
    const detail = { ...eventDetail(), containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/default/b54a2a04046f43319d743f6d7f6ca315' };
    expect(normalizeContainerInstance(detail).ok).toBe(true);
  });

  it.each([
    ['missing containerInstanceArn', (d: Record<string, unknown>) => ({ ...d, containerInstanceArn: undefined }), 'missing_field', 'containerInstanceArn is missing'],
    ['missing status', (d: Record<string, unknown>) => ({ ...d, status: undefined }), 'missing_field', 'status is missing'],
    ['missing version', (d: Record<string, unknown>) => ({ ...d, version: undefined }), 'missing_version', 'version is missing'],
    ['string version', (d: Record<string, unknown>) => ({ ...d, version: '14801' }), 'invalid_version', 'got string'],
    ['boolean status', (d: Record<string, unknown>) => ({ ...d, status: true }), 'invalid_field', 'status must be a non-empty string, got boolean'],
    ['string agentConnected', (d: Record<string, unknown>) => ({ ...d, agentConnected: 'yes' }), 'invalid_field', 'agentConnected must be a boolean'],
    ['fractional runningTasksCount', (d: Record<string, unknown>) => ({ ...d, runningTasksCount: 1.5 }), 'invalid_field', 'runningTasksCount must be an integer'],
    ['attributes of strings', (d: Record<string, unknown>) => ({ ...d, attributes: ['a'] }), 'invalid_field', 'attributes must be an array of objects'],
    ['task ARN as instance ARN', (d: Record<string, unknown>) => ({ ...d, containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:task/abc' }), 'invalid_arn', 'containerInstanceArn:'],
    [
      'instance of another cluster',
      (d: Record<string, unknown>) => ({ ...d, containerInstanceArn: 'arn:aws:ecs:us-east-1:111122223333:container-instance/prod/b54a2a04046f43319d743f6d7f6ca315' }),
      'arn_mismatch',
      'names cluster "prod" but clusterArn names "default"',
    ],
    ['cluster in another region', (d: Record<string, unknown>) => ({ ...d, clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/default' }), 'arn_mismatch', 'but clusterArn'],
    ['a string', () => 'instance', 'not_an_object', 'container instance must be an object, got string'],
  ])('rejects %s', (_label, mutate, reason, message) => {
    const result = normalizeContainerInstance(mutate(eventDetail()));
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.message).toContain(message);
  });
});
