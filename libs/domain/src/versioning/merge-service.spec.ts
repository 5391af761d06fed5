import { mergeServiceRecords, parseEventMessage, sameServiceState, serviceOfChange, serviceSnapshot } from '../index';
import type { ServiceRecord } from '../index';

const SERVICE_ARN = 'arn:aws:ecs:us-west-2:111122223333:service/shop/web';
const CLUSTER_ARN = 'arn:aws:ecs:us-west-2:111122223333:cluster/shop';
const TD1 = 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:1';
const TD2 = 'arn:aws:ecs:us-west-2:111122223333:task-definition/web:2';

interface DeploymentInput {
  id: string;
  status: string;
  rolloutState: string;
  taskDefinition: string;
  desired: number;
  running: number;
  failed: number;
  createdAt: string;
  updatedAt: string;
}

function snapshot(describedAt: string, running: number, taskDefinition: string, deployments: DeploymentInput[]): ServiceRecord {
  const described = {
    serviceArn: SERVICE_ARN,
    serviceName: 'web',
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 2,
    runningCount: running,
    pendingCount: 0,
    launchType: 'FARGATE',
    taskDefinition,
    createdAt: new Date('2026-03-01T09:00:00Z'),
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
    // ECS's own event messages, which the record does not keep.
    events: [{ id: 'm1', createdAt: new Date(describedAt), message: '(service web) has reached a steady state.' }],
    deployments: deployments.map((d) => ({
      id: d.id,
      status: d.status,
      rolloutState: d.rolloutState,
      rolloutStateReason: `${d.rolloutState} reason`,
      taskDefinition: d.taskDefinition,
      desiredCount: d.desired,
      runningCount: d.running,
      pendingCount: 0,
      failedTasks: d.failed,
      createdAt: new Date(d.createdAt),
      updatedAt: new Date(d.updatedAt),
    })),
  };
  const record = serviceSnapshot(described, describedAt);
  if (!record.ok) throw new Error(record.message);
  return record.value;
}

let eventCounter = 0;
function event(detailType: string, time: string, detail: Record<string, unknown>): ServiceRecord {
  eventCounter += 1;
  const body = JSON.stringify({
    version: '0',
    id: `0000000${eventCounter}-aaaa-bbbb-cccc-dddddddddddd`,
    'detail-type': detailType,
    source: 'aws.ecs',
    account: '111122223333',
    time,
    region: 'us-west-2',
    resources: [SERVICE_ARN],
    detail,
  });
  const parsed = parseEventMessage(body);
  if (!parsed.ok || parsed.kind !== 'service') throw new Error(`not a service event: ${JSON.stringify(parsed)}`);
  return serviceOfChange(parsed.change);
}

function deploymentEvent(time: string, eventName: string, deploymentId: string, reason: string): ServiceRecord {
  return event('ECS Deployment State Change', time, { eventType: eventName.endsWith('FAILED') ? 'ERROR' : 'INFO', eventName, deploymentId, updatedAt: time, reason });
}

// One history of service web: d1 runs td 1; d2 rolls out td 2, whose tasks fail; the circuit breaker fails d2
// and rolls back with d3 (td 1 again).
const S1 = snapshot('2026-03-01T10:00:00.000Z', 2, TD1, [
  { id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: TD1, desired: 2, running: 2, failed: 0, createdAt: '2026-03-01T09:00:00Z', updatedAt: '2026-03-01T09:59:00Z' },
]);
const E1 = deploymentEvent('2026-03-01T10:01:00.000Z', 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-svc/2', 'ECS deployment ecs-svc/2 in progress.');
const S2 = snapshot('2026-03-01T10:02:00.000Z', 2, TD2, [
  { id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: TD2, desired: 2, running: 0, failed: 2, createdAt: '2026-03-01T10:01:00Z', updatedAt: '2026-03-01T10:01:30Z' },
  { id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', taskDefinition: TD1, desired: 2, running: 2, failed: 0, createdAt: '2026-03-01T09:00:00Z', updatedAt: '2026-03-01T10:01:30Z' },
]);
const A1 = event('ECS Service Action', '2026-03-01T10:02:30.000Z', { eventType: 'WARN', eventName: 'SERVICE_TASK_START_IMPAIRED', clusterArn: CLUSTER_ARN, createdAt: '2026-03-01T10:02:30.000Z' });
const E2 = deploymentEvent('2026-03-01T10:03:00.000Z', 'SERVICE_DEPLOYMENT_FAILED', 'ecs-svc/2', 'ECS deployment circuit breaker: tasks failed to start.');
const E3 = deploymentEvent('2026-03-01T10:03:00.000Z', 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-svc/3', 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.');
const S3 = snapshot('2026-03-01T10:06:00.000Z', 2, TD1, [
  { id: 'ecs-svc/3', status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: TD1, desired: 2, running: 2, failed: 0, createdAt: '2026-03-01T10:03:00Z', updatedAt: '2026-03-01T10:04:00Z' },
  { id: 'ecs-svc/2', status: 'INACTIVE', rolloutState: 'FAILED', taskDefinition: TD2, desired: 0, running: 0, failed: 4, createdAt: '2026-03-01T10:01:00Z', updatedAt: '2026-03-01T10:03:00Z' },
]);

function fold(reports: readonly ServiceRecord[], limit?: number): ServiceRecord {
  const [first, ...rest] = reports as [ServiceRecord, ...ServiceRecord[]];
  return rest.reduce((stored, report) => mergeServiceRecords(stored, report, limit), mergeServiceRecords(first, first, limit));
}

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i] as T, ...tail];
  }
}

function expectEveryOrderToGive(reports: readonly ServiceRecord[], expected: ServiceRecord, limit?: number): void {
  const text = JSON.stringify(expected);
  let orders = 0;
  for (const order of permutations(reports)) {
    const result = fold(order, limit);
    if (JSON.stringify(result) !== text) expect(result).toEqual(expected);
    orders++;
  }
  expect(orders).toBeGreaterThan(1);
}

describe('service ordering rule', () => {
  const everything = [S1, E1, S2, A1, E2, E3, S3];

  it('ends, in every one of the 5,040 orders of a history, in the newest snapshot with every event', () => {
    const expected = fold(everything);
    expect(expected).toMatchObject({ describedAt: '2026-03-01T10:06:00.000Z', taskDefinition: TD1, runningCount: 2 });
    expect(expected.deployments.map((d) => [d.id, d.status, d.rolloutState, d.runningCount])).toEqual([
      ['ecs-svc/3', 'PRIMARY', 'COMPLETED', 2],
      ['ecs-svc/2', 'INACTIVE', 'FAILED', 0],
    ]);
    expect(expected.events.map((e) => e.eventName)).toEqual([
      // E2 and E3 share their time: the larger event id comes first.
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
      'SERVICE_DEPLOYMENT_FAILED',
      'SERVICE_TASK_START_IMPAIRED',
      'SERVICE_DEPLOYMENT_IN_PROGRESS',
    ]);
    expect(expected.events[0]).toMatchObject({ deploymentId: 'ecs-svc/3', eventType: 'INFO', time: '2026-03-01T10:03:00.000Z' });
    expectEveryOrderToGive(everything, expected);
  });

  it('keeps only the newest events past the limit, the same ones in every order', () => {
    const expected = fold(everything, 2);
    expect(expected.events.map((e) => e.time)).toEqual(['2026-03-01T10:03:00.000Z', '2026-03-01T10:03:00.000Z']);
    expectEveryOrderToGive(everything, expected, 2);
  });

  it('applies events newer than the last snapshot on top of it: the failed rollout and the rollback started', () => {
    const reports = [S1, E1, S2, A1, E2, E3];
    const expected = fold(reports);
    expect(expected.describedAt).toBe('2026-03-01T10:02:00.000Z');
    expect(expected.deployments).toEqual([
      // Known only from its event: no status or counts until a snapshot lists it.
      {
        id: 'ecs-svc/3',
        rolloutState: 'IN_PROGRESS',
        rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.',
        updatedAt: '2026-03-01T10:03:00.000Z',
      },
      expect.objectContaining({ id: 'ecs-svc/2', status: 'PRIMARY', rolloutState: 'FAILED', runningCount: 0, failedTasks: 2, updatedAt: '2026-03-01T10:03:00.000Z' }),
      expect.objectContaining({ id: 'ecs-svc/1', status: 'ACTIVE', rolloutState: 'COMPLETED', runningCount: 2 }),
    ]);
    expectEveryOrderToGive(reports, expected);
  });

  it('lets a snapshot drop a deployment it no longer lists, unless a newer event names it', () => {
    // S3 lacks ecs-svc/1, which ended before it was taken.
    expect(fold([S2, S3]).deployments.map((d) => d.id)).toEqual(['ecs-svc/3', 'ecs-svc/2']);
    const late = deploymentEvent('2026-03-01T10:07:00.000Z', 'SERVICE_DEPLOYMENT_IN_PROGRESS', 'ecs-svc/4', 'ECS deployment ecs-svc/4 in progress.');
    expect(fold([S3, late]).deployments.map((d) => d.id)).toEqual(['ecs-svc/4', 'ecs-svc/3', 'ecs-svc/2']);
    // An event older than the snapshot that lacks its deployment does not bring it back.
    expect(fold([S3, E1]).deployments.map((d) => d.id)).toEqual(['ecs-svc/3', 'ecs-svc/2']);
  });

  it('ignores duplicates: every report delivered twice gives the record of each once', () => {
    const once = fold(everything);
    expect(fold([...everything, ...everything])).toEqual(once);
    expect(fold([...everything].reverse().flatMap((r) => [r, r]))).toEqual(once);
  });

  it('does not let an older snapshot replace the newer one, nor an event change the snapshot part', () => {
    const stored = fold([S3, S1, A1]);
    expect(stored).toMatchObject({ describedAt: S3.describedAt, taskDefinition: TD1, runningCount: 2 });
    expect(sameServiceState(mergeServiceRecords(S3, S1), S3)).toBe(true);
  });

  it('tells a snapshot that only confirms the stored state from one that changes it', () => {
    const confirmed = { ...S3, describedAt: '2026-03-01T10:26:00.000Z' };
    expect(sameServiceState(mergeServiceRecords(S3, confirmed), S3)).toBe(true);
    expect(sameServiceState(mergeServiceRecords(S2, S3), S2)).toBe(false);
  });
});
