import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type {
  BatchFailure,
  MessageHandle,
  MessageQueue,
  QueueAttributesSummary,
  ReceivedMessage,
  ReceiveOptions,
  ReceiveResult,
} from './message-queue';
import { QueueConnections, type QueueConnectionOptions } from './queue-connections';

/** The queue to open: its URL, or its name to look the URL up. */
export interface QueueTarget {
  queueUrl?: string;
  queueName?: string;
}

function toReceived(m: Message): ReceivedMessage | undefined {
  if (!m.MessageId || !m.ReceiptHandle || m.Body === undefined) return undefined;
  const count = Number(m.Attributes?.ApproximateReceiveCount ?? '1');
  const sent = Number(m.Attributes?.SentTimestamp);
  return {
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    receiveCount: Number.isFinite(count) && count > 0 ? count : 1,
    ...(Number.isFinite(sent) ? { sentAt: new Date(sent) } : {}),
  };
}

async function resolveQueueUrl(connections: QueueConnections, target: QueueTarget): Promise<string> {
  if (target.queueUrl) return target.queueUrl;
  if (!target.queueName) throw new Error('either a queue URL or a queue name is required');
  const res = await connections.calls.send(new GetQueueUrlCommand({ QueueName: target.queueName }));
  if (!res.QueueUrl) throw new Error(`SQS returned no URL for queue ${target.queueName}`);
  return res.QueueUrl;
}

/** SQS allows at most 10 entries per batch call. */
const SQS_BATCH_LIMIT = 10;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The SQS calls of the ingestor, on one queue, made on the calling thread. */
export class QueueClient implements MessageQueue {
  private constructor(
    private readonly connections: QueueConnections,
    readonly queueUrl: string,
  ) {}

  /** Opens connections and resolves the queue; the client owns the connections from then on. */
  static async open(options: QueueConnectionOptions & { target: QueueTarget }): Promise<QueueClient> {
    const connections = new QueueConnections(options);
    try {
      return new QueueClient(connections, await resolveQueueUrl(connections, options.target));
    } catch (err) {
      connections.destroy();
      throw err;
    }
  }

  async receive(options: ReceiveOptions): Promise<ReceiveResult> {
    const res = await this.connections.polls.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: options.maxMessages,
        WaitTimeSeconds: options.waitSeconds,
        VisibilityTimeout: options.visibilityTimeout,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }),
    );
    const messages: ReceivedMessage[] = [];
    let malformed = 0;
    for (const m of res.Messages ?? []) {
      const received = toReceived(m);
      if (received) messages.push(received);
      else malformed += 1;
    }
    return { messages, malformed };
  }

  interruptReceives(): void {
    this.connections.interruptPolls();
  }

  async close(): Promise<void> {
    this.connections.destroy();
  }

  async deleteBatch(messages: readonly MessageHandle[]): Promise<BatchFailure[]> {
    const failures: BatchFailure[] = [];
    await Promise.all(
      chunks(messages, SQS_BATCH_LIMIT).map(async (chunk) => {
        const res = await this.connections.calls.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })),
          }),
        );
        for (const f of res.Failed ?? []) {
          const m = chunk[Number(f.Id)];
          failures.push({ messageId: m?.messageId ?? '?', code: f.Code ?? 'Unknown', message: f.Message ?? '' });
        }
      }),
    );
    return failures;
  }

  async changeVisibilityBatch(messages: readonly MessageHandle[], seconds: number): Promise<BatchFailure[]> {
    const failures: BatchFailure[] = [];
    await Promise.all(
      chunks(messages, SQS_BATCH_LIMIT).map(async (chunk) => {
        const res = await this.connections.calls.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: chunk.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle, VisibilityTimeout: seconds })),
          }),
        );
        for (const f of res.Failed ?? []) {
          const m = chunk[Number(f.Id)];
          failures.push({ messageId: m?.messageId ?? '?', code: f.Code ?? 'Unknown', message: f.Message ?? '' });
        }
      }),
    );
    return failures;
  }

  async attributes(): Promise<QueueAttributesSummary> {
    const res = await this.connections.calls.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['All'] }));
    const a = res.Attributes ?? {};
    const summary: QueueAttributesSummary = {
      visibleMessages: Number(a.ApproximateNumberOfMessages ?? 0),
      inFlightMessages: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0),
      ...(a.QueueArn ? { queueArn: a.QueueArn } : {}),
    };
    if (a.RedrivePolicy) {
      try {
        const policy = JSON.parse(a.RedrivePolicy) as { maxReceiveCount?: unknown; deadLetterTargetArn?: unknown };
        const max = Number(policy.maxReceiveCount);
        if (Number.isFinite(max)) summary.maxReceiveCount = max;
        if (typeof policy.deadLetterTargetArn === 'string') summary.deadLetterTargetArn = policy.deadLetterTargetArn;
      } catch {
        // An unreadable policy is reported as no policy: the caller warns about it.
      }
    }
    return summary;
  }
}
