import { canonicalJson, DEFAULT_MAX_MESSAGE_BYTES, normalizeContainerInstance, normalizeTask, parseEventMessage, REJECT_REASONS } from '../index';
import type { ParseOutcome, RejectReason } from '../index';
import { CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE, listReferenceEvents, loadReferenceEvent } from '@ecs-state/test-support';

const taskSample = loadReferenceEvent(FARGATE_TASK_SAMPLE);
const instanceSample = loadReferenceEvent(CONTAINER_INSTANCE_SAMPLE);

type Envelope = Record<string, unknown> & { detail: Record<string, unknown> };
const taskEnvelope = (): Envelope => structuredClone(taskSample.envelope);
const instanceEnvelope = (): Envelope => structuredClone(instanceSample.envelope);

/** How SNS delivers a notification to SQS when raw message delivery is off. */
function snsWrap(message: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
    TopicArn: 'arn:aws:sns:us-west-2:111122223333:ecs-state-changes',
    Message: message,
    Timestamp: '2020-01-23T17:57:59.012Z',
    SignatureVersion: '1',
    Signature: 'EXAMPLEpH+..',
    SigningCertURL: 'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
    UnsubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe',
    ...overrides,
  });
}

function expectRejected(outcome: ParseOutcome, reason: RejectReason, message: string | RegExp): void {
  expect(outcome).toMatchObject({ ok: false, ignored: false, reason });
  if (!outcome.ok && !outcome.ignored) {
    if (typeof message === 'string') expect(outcome.message).toContain(message);
    else expect(outcome.message).toMatch(message);
  }
}

describe('parseEventMessage: accepted events', () => {
  it('parses every published sample as it is', () => {
    const samples = listReferenceEvents();
    expect(samples.map((s) => s.name)).toEqual(expect.arrayContaining([CONTAINER_INSTANCE_SAMPLE, FARGATE_TASK_SAMPLE]));
    for (const sample of samples) {
      const outcome = parseEventMessage(sample.body);
      expect(outcome.ok).toBe(true);
    }
  });

  it('reads the Fargate task event into a task record and the event metadata', () => {
    const outcome = parseEventMessage(taskSample.body);
    expect(outcome).toMatchObject({
      ok: true,
      kind: 'task',
      event: {
        id: '3317b2af-7005-947d-b652-f55e762e571a',
        time: '2020-01-23T17:57:58.000Z',
        region: 'us-west-2',
        account: '111122223333',
        detailType: 'ECS Task State Change',
      },
    });
    if (outcome.ok && outcome.kind === 'task') {
      const direct = normalizeTask(taskSample.envelope.detail);
      expect(direct.ok && canonicalJson(direct.value)).toBe(canonicalJson(outcome.record));
      expect(outcome.record.version).toBe(4);
      expect(outcome.record).not.toHaveProperty('updatedAt');
    }
  });

  it('reads the container instance event into an instance record', () => {
    const outcome = parseEventMessage(instanceSample.body);
    expect(outcome).toMatchObject({ ok: true, kind: 'instance', event: { region: 'us-east-1', time: '2016-12-06T16:41:06.000Z' } });
    if (outcome.ok && outcome.kind === 'instance') {
      const direct = normalizeContainerInstance(instanceSample.envelope.detail);
      expect(direct.ok && canonicalJson(direct.value)).toBe(canonicalJson(outcome.record));
      expect(outcome.record.status).toBe('ACTIVE');
    }
  });

  it('unwraps an SNS notification to the same outcome as the bare event', () => {
    for (const sample of [taskSample, instanceSample]) {
      const wrapped = parseEventMessage(snsWrap(sample.body));
      expect(wrapped).toEqual(parseEventMessage(sample.body));
      expect(wrapped.ok).toBe(true);
    }
  });

  it('accepts an envelope without version and resources', () => {
    const envelope = taskEnvelope();
    delete envelope['version'];
    delete envelope['resources'];
    expect(parseEventMessage(JSON.stringify(envelope)).ok).toBe(true);
  });

  it('accepts a body exactly at the size limit', () => {
    const body = JSON.stringify(taskEnvelope());
    expect(parseEventMessage(body, { maxBytes: Buffer.byteLength(body) }).ok).toBe(true);
  });
});

describe('parseEventMessage: ignored events', () => {
  it.each(['ECS Cluster State Change', 'ECS Something New'])('ignores a well-formed %j event', (detailType) => {
    const envelope = { ...taskEnvelope(), 'detail-type': detailType, detail: { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE' } };
    expect(parseEventMessage(JSON.stringify(envelope))).toEqual({ ok: false, ignored: true, detailType });
    expect(parseEventMessage(snsWrap(JSON.stringify(envelope)))).toEqual({ ok: false, ignored: true, detailType });
  });

  it('does not look at the detail of an ignored event', () => {
    const envelope = { ...taskEnvelope(), 'detail-type': 'ECS Something New', detail: 'anything' };
    expect(parseEventMessage(JSON.stringify(envelope))).toMatchObject({ ok: false, ignored: true });
  });
});

describe('parseEventMessage: rejections', () => {
  const withEnvelope = (mutate: (envelope: Envelope) => unknown): string => JSON.stringify(mutate(taskEnvelope()));
  const withDetail = (mutate: (detail: Record<string, unknown>) => unknown): string =>
    withEnvelope((envelope) => ({ ...envelope, detail: mutate(envelope.detail) }));

  type Case = [label: string, body: () => string, reason: RejectReason, message: string | RegExp];
  const cases: Case[] = [
    ['a body over the limit', () => JSON.stringify({ ...taskEnvelope(), padding: 'x'.repeat(DEFAULT_MAX_MESSAGE_BYTES) }), 'too_large', /message body is \d+ bytes, over the limit of 262144/],
    ['malformed JSON', () => taskSample.body.slice(0, 100), 'malformed_json', 'message body is not valid JSON'],
    ['an empty body', () => '', 'malformed_json', 'not valid JSON'],
    ['a JSON array', () => '[1,2]', 'not_an_object', 'message body must be a JSON object, got array'],
    ['a JSON string', () => '"hello"', 'not_an_object', 'got string'],
    ['JSON null', () => 'null', 'not_an_object', 'got null'],
    ['an SNS subscription confirmation', () => snsWrap('{}', { Type: 'SubscriptionConfirmation' }), 'invalid_sns_envelope', 'SNS Type is "SubscriptionConfirmation"'],
    ['an SNS message without Type', () => JSON.stringify({ Message: taskSample.body }), 'invalid_sns_envelope', 'SNS Type is undefined'],
    ['an SNS Message that is not a string', () => JSON.stringify({ Type: 'Notification', Message: taskEnvelope() }), 'invalid_sns_envelope', 'SNS Message must be a string'],
    ['an SNS Message that is not JSON', () => snsWrap('not json'), 'invalid_sns_envelope', 'SNS Message is not valid JSON'],
    ['an SNS Message holding an array', () => snsWrap('[]'), 'invalid_sns_envelope', 'SNS Message must hold a JSON object, got array'],
    ['an SNS-wrapped non-ECS event', () => snsWrap(JSON.stringify({ ...taskEnvelope(), source: 'aws.ec2' })), 'unexpected_source', 'event source is "aws.ec2"'],
    ['an object that is no envelope', () => JSON.stringify({ hello: 'world' }), 'invalid_envelope', 'source is missing from the event envelope'],
    ['another source', () => withEnvelope((e) => ({ ...e, source: 'aws.ec2' })), 'unexpected_source', 'event source is "aws.ec2", expected "aws.ecs"'],
    ['a custom source', () => withEnvelope((e) => ({ ...e, source: 'my.app' })), 'unexpected_source', '"my.app"'],
    ['a numeric source', () => withEnvelope((e) => ({ ...e, source: 1 })), 'invalid_envelope', 'event envelope source must be a non-empty string, got number'],
    ['a missing detail-type', () => withEnvelope((e) => ({ ...e, 'detail-type': undefined })), 'invalid_envelope', 'detail-type is missing'],
    ['a missing id', () => withEnvelope((e) => ({ ...e, id: undefined })), 'invalid_envelope', 'id is missing'],
    ['a bad time', () => withEnvelope((e) => ({ ...e, time: 'noon' })), 'invalid_envelope', 'event envelope time "noon" is not an ISO-8601 date-time'],
    ['a bad region', () => withEnvelope((e) => ({ ...e, region: 'mars' })), 'invalid_envelope', 'event envelope region "mars"'],
    ['a bad account', () => withEnvelope((e) => ({ ...e, account: '123' })), 'invalid_envelope', 'event envelope account "123"'],
    ['a numeric version', () => withEnvelope((e) => ({ ...e, version: 0 })), 'invalid_envelope', 'event envelope version must be a string'],
    ['bad resources', () => withEnvelope((e) => ({ ...e, resources: [1] })), 'invalid_envelope', 'resources must be an array of strings'],
    ['a missing detail', () => withEnvelope((e) => ({ ...e, detail: undefined })), 'invalid_envelope', 'detail of a "ECS Task State Change" event must be an object, got undefined'],
    ['an array detail', () => withEnvelope((e) => ({ ...e, detail: [] })), 'invalid_envelope', 'got array'],
    ['a missing taskArn', () => withDetail((d) => ({ ...d, taskArn: undefined })), 'missing_field', 'detail.taskArn is missing'],
    ['a missing lastStatus', () => withDetail((d) => ({ ...d, lastStatus: undefined })), 'missing_field', 'detail.lastStatus is missing'],
    ['a numeric desiredStatus', () => withDetail((d) => ({ ...d, desiredStatus: 1 })), 'invalid_field', 'detail.desiredStatus must be a non-empty string, got number'],
    ['a bad timestamp', () => withDetail((d) => ({ ...d, startedAt: '23/01/2020' })), 'invalid_field', 'detail.startedAt: "23/01/2020" is not an ISO-8601 date-time'],
    ['a missing version', () => withDetail((d) => ({ ...d, version: undefined })), 'missing_version', 'detail.version is missing'],
    ['a string version', () => withDetail((d) => ({ ...d, version: '4' })), 'invalid_version', 'detail.version must be a non-negative integer, got string'],
    ['a negative version', () => withDetail((d) => ({ ...d, version: -4 })), 'invalid_version', 'got -4'],
    ['a bad task ARN', () => withDetail((d) => ({ ...d, taskArn: 'task-1' })), 'invalid_arn', 'detail.taskArn: task ARN "task-1" is not of the form'],
    ['a bad cluster ARN', () => withDetail((d) => ({ ...d, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/../x' })), 'invalid_arn', 'detail.clusterArn: cluster ARN'],
    [
      'a task ARN naming another cluster',
      () => withDetail((d) => ({ ...d, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/Other' })),
      'arn_mismatch',
      'detail.taskArn "arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad" names cluster "FargateCluster" but clusterArn names "Other"',
    ],
    [
      'a task ARN in another region than its cluster',
      () => withDetail((d) => ({ ...d, taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad' })),
      'arn_mismatch',
      'is in aws/us-east-1/111122223333 but clusterArn',
    ],
    ['an envelope from another region', () => withEnvelope((e) => ({ ...e, region: 'eu-west-1' })), 'arn_mismatch', 'event envelope is from region "eu-west-1"'],
    ['an envelope from another account', () => withEnvelope((e) => ({ ...e, account: '999988887777' })), 'arn_mismatch', 'account "999988887777"'],
  ];

  it.each(cases)('rejects %s', (_label, body, reason, message) => {
    expectRejected(parseEventMessage(body()), reason, message);
  });

  it('has a fixture for every reject reason', () => {
    const covered = new Set(cases.map(([, , reason]) => reason));
    expect([...REJECT_REASONS].filter((reason) => !covered.has(reason))).toEqual([]);
  });

  it('rejects container instance events by the same rules', () => {
    const body = JSON.stringify({ ...instanceEnvelope(), detail: { ...instanceEnvelope().detail, status: undefined } });
    expectRejected(parseEventMessage(body), 'missing_field', 'detail.status is missing');
  });

  it('counts the size limit in UTF-8 bytes, not characters', () => {
    const envelope = taskEnvelope();
    envelope.detail['note'] = '\u00e9'.repeat(100);
    const body = JSON.stringify(envelope);
    expectRejected(parseEventMessage(body, { maxBytes: body.length + 99 }), 'too_large', `message body is ${body.length + 100} bytes`);
    expect(parseEventMessage(body, { maxBytes: body.length + 100 }).ok).toBe(true);
    const emoji = JSON.stringify({ ...taskEnvelope(), note: '\u{1F600}' });
    expect(parseEventMessage(emoji, { maxBytes: Buffer.byteLength(emoji) }).ok).toBe(true);
    expectRejected(parseEventMessage(emoji, { maxBytes: Buffer.byteLength(emoji) - 1 }), 'too_large', 'over the limit');
  });

  it('keeps messages short for huge offending values', () => {
    const outcome = parseEventMessage(withDetail((d) => ({ ...d, taskArn: 'x'.repeat(100_000) })));
    expectRejected(outcome, 'invalid_arn', 'longer than');
    if (!outcome.ok && !outcome.ignored) expect(outcome.message.length).toBeLessThan(300);
  });
});

describe('parseEventMessage: robustness', () => {
  // Deterministic pseudo-random generator so failures reproduce.
  function lcg(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  it('never throws, whatever the body', () => {
    const random = lcg(42);
    const sources = [taskSample.body, instanceSample.body, snsWrap(taskSample.body)];
    const alphabet = ['{', '}', '[', ']', '"', ':', ',', '\\', 'null', '0', '-1', 'true', 'x', '\u0000', '\ud800', ' '];
    let outcomes = 0;
    for (let i = 0; i < 2000; i += 1) {
      const source = sources[i % sources.length] ?? '';
      const chars = [...source];
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e += 1) {
        const at = Math.floor(random() * chars.length);
        const token = alphabet[Math.floor(random() * alphabet.length)] ?? '';
        if (random() < 0.5) chars.splice(at, 1, token);
        else chars.splice(at, Math.floor(random() * 20));
      }
      const outcome = parseEventMessage(chars.join(''));
      expect(typeof outcome.ok).toBe('boolean');
      if (!outcome.ok && !outcome.ignored) expect(REJECT_REASONS).toContain(outcome.reason);
      outcomes += 1;
    }
    expect(outcomes).toBe(2000);
  });

  it('never throws on non-string input from untyped callers', () => {
    for (const body of [undefined, null, 42, {}, [], Symbol('x')]) {
      expectRejected(parseEventMessage(body as unknown as string), 'malformed_json', 'message body must be a string');
    }
  });

  it('rejects deeply nested JSON without throwing', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const body = JSON.stringify({ ...taskEnvelope(), detail: { ...taskEnvelope().detail, deep: 'PLACEHOLDER' } }).replace('"PLACEHOLDER"', deep);
    expectRejected(parseEventMessage(body), 'invalid_field', 'detail.deep');
  });
});
