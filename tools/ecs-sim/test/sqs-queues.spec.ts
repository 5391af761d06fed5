import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  InvalidAttributeName,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  QueueNameExists,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import type { Simulator } from '../src';
import { type SqsHarness, startSqs } from './sqs-harness';

let h: SqsHarness;
let sim: Simulator;
let sqs: SQSClient;

beforeAll(async () => {
  h = await startSqs({ eventQueue: null });
  ({ sim, sqs } = h);
});

afterAll(async () => {
  await h.close();
});

describe('queue management through the SQS SDK', () => {
  it('creates a queue with a URL and ARN shaped like SQS and finds it again', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
    expect(QueueUrl).toBe(`${sim.endpoint}/000000000000/orders`);

    const found = await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }));
    expect(found.QueueUrl).toBe(QueueUrl);

    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }),
    );
    expect(Attributes).toEqual({ QueueArn: 'arn:aws:sqs:us-east-1:000000000000:orders', VisibilityTimeout: '30' });
  });

  it('is idempotent for identical attributes and rejects different ones with QueueNameExists', async () => {
    const attributes = { VisibilityTimeout: '5', MessageRetentionPeriod: '600' };
    const first = await sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: attributes }));
    const second = await sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: attributes }));
    expect(second.QueueUrl).toBe(first.QueueUrl);

    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'idem', Attributes: { VisibilityTimeout: '6' } })),
    ).rejects.toBeInstanceOf(QueueNameExists);
  });

  it('reports every attribute for All, with live message counts', async () => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'all-attrs',
        Attributes: { VisibilityTimeout: '7', ReceiveMessageWaitTimeSeconds: '2', DelaySeconds: '0' },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', DelaySeconds: 60 }));

    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes).toMatchObject({
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:all-attrs',
      ApproximateNumberOfMessages: '1',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '1',
      VisibilityTimeout: '7',
      ReceiveMessageWaitTimeSeconds: '2',
      MessageRetentionPeriod: '345600',
      MaximumMessageSize: '262144',
    });
    expect(Number(Attributes?.['CreatedTimestamp'])).toBeGreaterThan(1_600_000_000);
  });

  it('changes attributes with SetQueueAttributes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'mutable' }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '3' } }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    expect(Attributes?.['VisibilityTimeout']).toBe('3');
  });

  it('validates attribute names and values', async () => {
    await expect(
      sqs.send(new CreateQueueCommand({ QueueName: 'bad-attr', Attributes: { Colour: 'blue' } as Record<string, string> })),
    ).rejects.toBeInstanceOf(InvalidAttributeName);
    const outOfRange = await sqs
      .send(new CreateQueueCommand({ QueueName: 'bad-value', Attributes: { VisibilityTimeout: '50000' } }))
      .catch((e: unknown) => e);
    expect(outOfRange).toBeInstanceOf(SQSServiceException);
    expect((outOfRange as SQSServiceException).name).toBe('InvalidAttributeValue');
    const badName = await sqs.send(new CreateQueueCommand({ QueueName: 'no spaces' })).catch((e: unknown) => e);
    expect((badName as SQSServiceException).name).toBe('InvalidParameterValue');
    expect((badName as SQSServiceException).$metadata.httpStatusCode).toBe(400);
  });

  it('raises QueueDoesNotExist, the SDK exception class, for unknown queues', async () => {
    const byName = await sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((e: unknown) => e);
    expect(byName).toBeInstanceOf(QueueDoesNotExist);
    expect((byName as QueueDoesNotExist).message).toBe('The specified queue does not exist.');
    expect((byName as QueueDoesNotExist).$metadata.httpStatusCode).toBe(400);

    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${sim.endpoint}/000000000000/nope`, MessageBody: 'x' })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('lists queues by prefix and deletes them', async () => {
    await sqs.send(new CreateQueueCommand({ QueueName: 'list-a' }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'list-b' }));
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
    expect(listed.QueueUrls).toEqual([`${sim.endpoint}/000000000000/list-a`, QueueUrl]);

    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const after = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'list-' }));
    expect(after.QueueUrls).toEqual([`${sim.endpoint}/000000000000/list-a`]);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'list-b' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('accepts a redrive policy only towards an existing dead-letter queue', async () => {
    const dlq = await sqs.send(new CreateQueueCommand({ QueueName: 'src-dlq' }));
    const redrive = (arn: string): string => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 3 });
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: 'src',
        Attributes: { RedrivePolicy: redrive('arn:aws:sqs:us-east-1:000000000000:src-dlq') },
      }),
    );
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(Attributes?.['RedrivePolicy'] ?? '{}')).toEqual({
      deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:src-dlq',
      maxReceiveCount: 3,
    });
    const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.QueueUrl }));
    expect(sources.queueUrls).toEqual([QueueUrl]);

    const missing = await sqs
      .send(
        new CreateQueueCommand({
          QueueName: 'src-missing',
          Attributes: { RedrivePolicy: redrive('arn:aws:sqs:us-east-1:000000000000:ghost') },
        }),
      )
      .catch((e: unknown) => e);
    expect((missing as SQSServiceException).name).toBe('InvalidParameterValue');
  });
});
