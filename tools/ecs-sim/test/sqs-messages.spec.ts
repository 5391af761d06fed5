import { createHash } from 'node:crypto';
import type {
  SQSServiceException} from '@aws-sdk/client-sqs';
import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  EmptyBatchRequest,
  GetQueueAttributesCommand,
  MessageNotInflight,
  PurgeQueueCommand,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { type SqsHarness, startSqs } from './sqs-harness';

let h: SqsHarness;
let sqs: SQSClient;
let queueCounter = 0;

beforeAll(async () => {
  h = await startSqs({ eventQueue: null });
  ({ sqs } = h);
});

afterAll(async () => {
  await h.close();
});

async function newQueue(attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `q${++queueCounter}`, Attributes: attributes }));
  return QueueUrl as string;
}

async function counts(QueueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes?.['ApproximateNumberOfMessages']),
    inFlight: Number(Attributes?.['ApproximateNumberOfMessagesNotVisible']),
  };
}

const md5 = (text: string): string => createHash('md5').update(text, 'utf8').digest('hex');

describe('SendMessage / ReceiveMessage', () => {
  it('round-trips a body with correct MD5s and the requested system attributes', async () => {
    const QueueUrl = await newQueue();
    const body = JSON.stringify({ detail: { lastStatus: 'RUNNING' }, note: 'ünïcødé ✓' });
    const before = Date.now();
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    expect(sent.MD5OfMessageBody).toBe(md5(body));

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp', 'ApproximateFirstReceiveTimestamp'],
      }),
    );
    expect(Messages).toHaveLength(1);
    const [message] = Messages ?? [];
    expect(message?.MessageId).toBe(sent.MessageId);
    expect(message?.Body).toBe(body);
    expect(message?.MD5OfBody).toBe(md5(body));
    expect(message?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(Number(message?.Attributes?.SentTimestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(message?.Attributes?.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(
      Number(message?.Attributes?.SentTimestamp),
    );
    expect(message?.Attributes?.SenderId).toBeUndefined();
  });

  it('returns no Messages member when the queue is empty and WaitTimeSeconds is 0', async () => {
    const QueueUrl = await newQueue();
    const result = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(result.Messages).toBeUndefined();
  });

  it('returns up to MaxNumberOfMessages and never the same message twice while in flight', async () => {
    const QueueUrl = await newQueue();
    for (let i = 0; i < 15; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    const second = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(first.Messages).toHaveLength(10);
    expect(second.Messages).toHaveLength(5);
    const bodies = [...(first.Messages ?? []), ...(second.Messages ?? [])].map((m) => m.Body).sort();
    expect(new Set(bodies).size).toBe(15);
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 15 });

    const tooMany = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 11 })).catch((e: unknown) => e);
    expect((tooMany as SQSServiceException).name).toBe('InvalidParameterValue');
  });

  it('carries message attributes, selected by name or prefix, with their MD5', async () => {
    const QueueUrl = await newQueue();
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'with attributes',
        MessageAttributes: {
          'trace.id': { DataType: 'String', StringValue: 'abc' },
          'trace.span': { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
        },
      }),
    );
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['trace.*'], VisibilityTimeout: 0 }),
    );
    expect(Object.keys(Messages?.[0]?.MessageAttributes ?? {}).sort()).toEqual(['trace.id', 'trace.span']);
    expect(Messages?.[0]?.MessageAttributes?.['trace.span']).toEqual({ DataType: 'Number', StringValue: '42' });

    const all = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'] }));
    expect(all.Messages?.[0]?.MessageAttributes?.['blob']?.BinaryValue).toEqual(new Uint8Array([1, 2, 3]));
    expect(all.Messages?.[0]?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('rejects bodies with characters SQS does not allow', async () => {
    const QueueUrl = await newQueue();
    const error = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bad\u0001' })).catch((e: unknown) => e);
    expect((error as SQSServiceException).name).toBe('InvalidMessageContents');
  });

  it('hides a delayed message until its delay has passed', async () => {
    const QueueUrl = await newQueue();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3 }));
    expect(Messages?.[0]?.Body).toBe('later');
  });
});

describe('long polling', () => {
  it('wakes a waiting receive as soon as a message is sent', async () => {
    const QueueUrl = await newQueue();
    const started = Date.now();
    const receiving = sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'two' },
        ],
      }),
    );
    const { Messages } = await receiving;
    expect(Messages?.map((m) => m.Body).sort()).toEqual(['one', 'two']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('returns empty when the wait time passes without messages', async () => {
    const QueueUrl = await newQueue();
    const started = Date.now();
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
    expect(Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('uses the queue default ReceiveMessageWaitTimeSeconds and wakes on visibility expiry', async () => {
    const QueueUrl = await newQueue({ ReceiveMessageWaitTimeSeconds: '5' });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bounce' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 1 }));
    expect(first.Messages).toHaveLength(1);
    // Parks (queue default wait), then is woken by the message becoming visible again.
    const second = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
    );
    expect(second.Messages?.[0]?.Body).toBe('bounce');
    expect(second.Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });
});

describe('visibility and deletion', () => {
  it('re-delivers after the visibility timeout with a new receipt handle and a higher receive count', async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: '1' });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'retry me' }));
    const receive = (): Promise<{ handle: string; count: string }> =>
      sqs
        .send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3, MessageSystemAttributeNames: ['All'] }))
        .then(({ Messages }) => ({
          handle: Messages?.[0]?.ReceiptHandle ?? '',
          count: Messages?.[0]?.Attributes?.ApproximateReceiveCount ?? '',
        }));

    const first = await receive();
    expect(first.count).toBe('1');
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 1 });
    const second = await receive();
    expect(second.count).toBe('2');
    expect(second.handle).not.toBe(first.handle);

    // A stale handle "succeeds" but deletes nothing, as SQS documents.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.handle }));
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 1 });
    await expect(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.handle, VisibilityTimeout: 5 })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });

    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.handle }));
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    // Deleting again with the same handle is harmless.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: second.handle }));
  });

  it('honours a per-receive VisibilityTimeout and ChangeMessageVisibility', async () => {
    const QueueUrl = await newQueue({ VisibilityTimeout: '600' });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'v' }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 300 }));
    const handle = Messages?.[0]?.ReceiptHandle as string;
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();

    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    expect(await counts(QueueUrl)).toEqual({ visible: 1, inFlight: 0 });
    await expect(
      sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: handle, VisibilityTimeout: 10 })),
    ).rejects.toBeInstanceOf(MessageNotInflight);

    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'not-a-handle' })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('changes visibility and deletes in batches with per-entry results', async () => {
    const QueueUrl = await newQueue();
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [1, 2, 3].map((i) => ({ Id: `e${i}`, MessageBody: `b${i}` })),
      }),
    );
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(Messages).toHaveLength(3);

    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'first', ReceiptHandle: Messages[0]?.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'broken', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    expect(changed.Successful?.map((e) => e.Id)).toEqual(['first']);
    expect(changed.Failed).toEqual([
      expect.objectContaining({ Id: 'broken', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }),
    ]);
    expect(await counts(QueueUrl)).toEqual({ visible: 1, inFlight: 2 });

    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    expect(deleted.Successful?.map((e) => e.Id).sort()).toEqual(['d0', 'd1', 'd2']);
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('SendMessageBatch', () => {
  it('reports per-entry failures next to successes', async () => {
    const QueueUrl = await newQueue();
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'ok', MessageBody: 'fine' },
          { Id: 'bad', MessageBody: 'ctrl\u0000char' },
          { Id: 'late', MessageBody: 'delayed', DelaySeconds: 900 },
        ],
      }),
    );
    expect(result.Successful?.map((e) => e.Id)).toEqual(['ok', 'late']);
    expect(result.Successful?.[0]?.MD5OfMessageBody).toBe(md5('fine'));
    expect(result.Failed).toEqual([expect.objectContaining({ Id: 'bad', SenderFault: true, Code: 'InvalidMessageContents' })]);
  });

  it('rejects empty, oversized and duplicate-id batches as a whole', async () => {
    const QueueUrl = await newQueue();
    await expect(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] }))).rejects.toBeInstanceOf(EmptyBatchRequest);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `i${i}`, MessageBody: 'x' })),
        }),
      ),
    ).rejects.toBeInstanceOf(TooManyEntriesInBatchRequest);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: [
            { Id: 'same', MessageBody: 'x' },
            { Id: 'same', MessageBody: 'y' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(BatchEntryIdsNotDistinct);
    await expect(
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `big${i}`, MessageBody: 'x'.repeat(30_000) })),
        }),
      ),
    ).rejects.toBeInstanceOf(BatchRequestTooLong);
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('PurgeQueue and redrive', () => {
  it('purges every message, visible or in flight', async () => {
    const QueueUrl = await newQueue();
    for (let i = 0; i < 5; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `p${i}` }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2 }));
    expect(await counts(QueueUrl)).toEqual({ visible: 3, inFlight: 2 });
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
  });

  it('moves a message received more than maxReceiveCount times to the dead-letter queue', async () => {
    const dlqUrl = await newQueue();
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }));
    const QueueUrl = await newQueue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes?.['QueueArn'], maxReceiveCount: '2' }),
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'poison' }));

    for (let attempt = 1; attempt <= 2; attempt++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }),
      );
      expect(Messages?.[0]?.Attributes?.ApproximateReceiveCount).toBe(String(attempt));
    }
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });

    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: dlqUrl, MessageSystemAttributeNames: ['All'] }),
    );
    expect(Messages?.[0]?.MessageId).toBe(sent.MessageId);
    expect(Messages?.[0]?.Body).toBe('poison');
    expect(Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toMatch(/:q\d+$/);
  });
});

describe('throughput', () => {
  it('moves thousands of messages through batches without losing or duplicating any', async () => {
    const QueueUrl = await newQueue();
    const total = 3_000;
    for (let start = 0; start < total; start += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: String(start + i) })),
        }),
      );
    }
    const seen = new Set<string>();
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      if (!Messages) break;
      for (const m of Messages) seen.add(m.Body as string);
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl,
          Entries: Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
    expect(seen.size).toBe(total);
    expect(await counts(QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });
});
