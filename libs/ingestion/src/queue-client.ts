import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import type { QueueConnections } from './queue-connections';

/** A received SQS message, validated into the fields the ingestor relies on. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out, this time included. */
  receiveCount: number;
  sentAt?: Date;
}

export interface BatchFailure {
  messageId: string;
  code: string;
  message: string;
}

export interface QueueAttributesSummary {
  queueArn?: string;
  visibleMessages: number;
  inFlightMessages: number;
  /** maxReceiveCount of the queue's redrive policy; undefined when there is none. */
  maxReceiveCount?: number;
  deadLetterTargetArn?: string;
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

/** SQS allows at most 10 entries per batch call. */
const SQS_BATCH_LIMIT = 10;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The SQS calls of the ingestor, on one queue. */
export class QueueClient {
  constructor(
    private readonly connections: QueueConnections,
    readonly queueUrl: string,
  ) {}

  static async resolve(connections: QueueConnections, target: { queueUrl?: string; queueName?: string }): Promise<QueueClient> {
    if (target.queueUrl) return new QueueClient(connections, target.queueUrl);
    if (!target.queueName) throw new Error('either a queue URL or a queue name is required');
    const res = await connections.calls.send(new GetQueueUrlCommand({ QueueName: target.queueName }));
    if (!res.QueueUrl) throw new Error(`SQS returned no URL for queue ${target.queueName}`);
    return new QueueClient(connections, res.QueueUrl);
  }

  /**
   * Long-polls for up to `maxMessages`. interruptReceives() ends the poll early;
   * any message SQS handed out meanwhile reappears after its visibility timeout.
   */
  async receive(options: {
    maxMessages: number;
    waitSeconds: number;
    visibilityTimeout: number;
  }): Promise<{ messages: ReceivedMessage[]; malformed: number }> {
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

  /** Ends every receive in flight (they reject) and fails later ones at once: for shutdown. */
  interruptReceives(): void {
    this.connections.interruptPolls();
  }

  /** Deletes messages; returns the entries SQS refused (e.g. an expired receipt handle). */
  async deleteBatch(messages: ReceivedMessage[]): Promise<BatchFailure[]> {
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

  /** Hides messages for `seconds` more, so that a message that cannot be processed is not retried in a hot loop. */
  async changeVisibilityBatch(messages: ReceivedMessage[], seconds: number): Promise<BatchFailure[]> {
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
