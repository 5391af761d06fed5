import { parseEventMessage } from '../index';
import type { ParseOutcome, RejectReason } from '../index';

const ACCOUNT = '111122223333';
const SERVICE_ARN = `arn:aws:ecs:us-west-2:${ACCOUNT}:service/default/servicetest`;
const CLUSTER_ARN = `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/default`;

// Shaped as the Amazon ECS Developer Guide shows them ("Amazon ECS service action events",
// "Amazon ECS service deployment state change events").
function deploymentEvent(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: 'ddca6449-b258-46c0-8653-e0e3a6EXAMPLE',
    'detail-type': 'ECS Deployment State Change',
    source: 'aws.ecs',
    account: ACCOUNT,
    time: '2020-05-23T12:31:14Z',
    region: 'us-west-2',
    resources: [SERVICE_ARN],
    detail: {
      eventType: 'INFO',
      eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
      deploymentId: 'ecs-svc/123',
      updatedAt: '2020-05-23T11:11:11Z',
      reason: 'ECS deployment ecs-svc/123 in progress.',
      ...detail,
    },
    ...envelope,
  });
}

function actionEvent(detail: Record<string, unknown> = {}, envelope: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: 'af3c496d-f4a8-65d1-70f4-a69d52e9b584',
    'detail-type': 'ECS Service Action',
    source: 'aws.ecs',
    account: ACCOUNT,
    time: '2019-11-19T19:27:22Z',
    region: 'us-west-2',
    resources: [SERVICE_ARN],
    detail: {
      eventType: 'ERROR',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      clusterArn: CLUSTER_ARN,
      capacityProviderArns: [`arn:aws:ecs:us-west-2:${ACCOUNT}:capacity-provider/ASG-tutorial-capacity-provider`],
      reason: 'RESOURCE:MEMORY',
      createdAt: '2019-11-19T19:27:22.695Z',
      ...detail,
    },
    ...envelope,
  });
}

function expectRejected(outcome: ParseOutcome, reason: RejectReason, message: string): void {
  expect(outcome).toMatchObject({ ok: false, ignored: false, reason });
  if (!outcome.ok && !outcome.ignored) expect(outcome.message).toContain(message);
}

describe('parseEventMessage: service events', () => {
  it('reads a deployment state change: the service from resources, the rollout it reports, the entry for the history', () => {
    expect(parseEventMessage(deploymentEvent())).toEqual({
      ok: true,
      kind: 'service',
      event: { id: 'ddca6449-b258-46c0-8653-e0e3a6EXAMPLE', time: '2020-05-23T12:31:14.000Z', region: 'us-west-2', account: ACCOUNT, detailType: 'ECS Deployment State Change' },
      change: {
        serviceArn: SERVICE_ARN,
        serviceName: 'servicetest',
        clusterArn: CLUSTER_ARN,
        rollout: { id: 'ecs-svc/123', rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment ecs-svc/123 in progress.', updatedAt: '2020-05-23T11:11:11.000Z' },
        entry: {
          eventId: 'ddca6449-b258-46c0-8653-e0e3a6EXAMPLE',
          eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS',
          eventType: 'INFO',
          reason: 'ECS deployment ecs-svc/123 in progress.',
          deploymentId: 'ecs-svc/123',
          time: '2020-05-23T12:31:14.000Z',
        },
      },
    });
  });

  it.each([
    ['SERVICE_DEPLOYMENT_COMPLETED', 'COMPLETED'],
    ['SERVICE_DEPLOYMENT_FAILED', 'FAILED'],
  ])('maps %s to rollout state %s', (eventName, rolloutState) => {
    expect(parseEventMessage(deploymentEvent({ eventName }))).toMatchObject({ ok: true, change: { rollout: { rolloutState } } });
  });

  it('reads a service action with the capacity providers involved and no rollout', () => {
    const outcome = parseEventMessage(actionEvent());
    expect(outcome).toMatchObject({ ok: true, kind: 'service', change: { serviceArn: SERVICE_ARN, clusterArn: CLUSTER_ARN } });
    if (outcome.ok && outcome.kind === 'service') {
      expect(outcome.change.rollout).toBeUndefined();
      expect(outcome.change.entry).toEqual({
        eventId: 'af3c496d-f4a8-65d1-70f4-a69d52e9b584',
        eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
        eventType: 'ERROR',
        reason: 'RESOURCE:MEMORY',
        capacityProviderArns: [`arn:aws:ecs:us-west-2:${ACCOUNT}:capacity-provider/ASG-tutorial-capacity-provider`],
        time: '2019-11-19T19:27:22.000Z',
      });
    }
  });

  it('takes the cluster of an old-format service ARN from detail.clusterArn', () => {
    const outcome = parseEventMessage(actionEvent({}, { resources: [`arn:aws:ecs:us-west-2:${ACCOUNT}:service/servicetest`] }));
    expect(outcome).toMatchObject({ ok: true, change: { serviceName: 'servicetest', clusterArn: CLUSTER_ARN } });
  });

  it.each<[string, () => string, RejectReason, string]>([
    ['no resources', () => deploymentEvent({}, { resources: [] }), 'missing_field', 'resources is empty'],
    ['a resource that is no service ARN', () => deploymentEvent({}, { resources: [CLUSTER_ARN] }), 'invalid_arn', 'resources[0]'],
    ['an old-format ARN without clusterArn', () => deploymentEvent({}, { resources: [`arn:aws:ecs:us-west-2:${ACCOUNT}:service/servicetest`] }), 'invalid_arn', 'names no cluster'],
    ['a service of another account', () => deploymentEvent({}, { resources: [SERVICE_ARN.replace(ACCOUNT, '999988887777')] }), 'arn_mismatch', 'resources[0]'],
    ['a service of another cluster than clusterArn', () => actionEvent({ clusterArn: `arn:aws:ecs:us-west-2:${ACCOUNT}:cluster/other` }), 'arn_mismatch', 'is not a service of detail.clusterArn'],
    ['a bad clusterArn', () => actionEvent({ clusterArn: 'cluster/default' }), 'invalid_arn', 'detail.clusterArn'],
    ['no eventName', () => actionEvent({ eventName: undefined }), 'missing_field', 'detail.eventName is missing'],
    ['a numeric eventType', () => actionEvent({ eventType: 3 }), 'invalid_field', 'detail.eventType must be a non-empty string'],
    ['a reason that is no string', () => actionEvent({ reason: ['x'] }), 'invalid_field', 'detail.reason must be a string'],
    ['container instances that are no strings', () => actionEvent({ containerInstanceArns: [1] }), 'invalid_field', 'detail.containerInstanceArns must be an array of strings'],
    ['no deploymentId', () => deploymentEvent({ deploymentId: undefined }), 'missing_field', 'detail.deploymentId is missing'],
    ['an unknown deployment event name', () => deploymentEvent({ eventName: 'SERVICE_STEADY_STATE' }), 'invalid_field', 'is not a deployment state'],
    ['no updatedAt', () => deploymentEvent({ updatedAt: undefined }), 'missing_field', 'detail.updatedAt is missing'],
    ['a bad updatedAt', () => deploymentEvent({ updatedAt: 'yesterday' }), 'invalid_field', 'updatedAt'],
    ['a detail that is no object', () => deploymentEvent().replace(/"detail":\{[^}]*\}/, '"detail":"x"'), 'invalid_envelope', 'must be an object'],
  ])('rejects %s', (_label, body, reason, message) => {
    expectRejected(parseEventMessage(body()), reason, message);
  });
});
