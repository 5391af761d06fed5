import type { EventPublisher, EventPublisherFactory } from '../aws/event-publisher';
import type { MessageAttributeMap } from './message-attributes';
import { md5OfMessageAttributes, messageAttributesSize, validateMessageAttributes } from './message-attributes';
import type { QueueConfig } from './queue-config';
import { applyQueueAttributes, DEFAULT_QUEUE_CONFIG, renderQueueConfig } from './queue-config';
import { invalidParameterValue, queueDoesNotExist, sqsError } from './sqs-errors';
import type { NewMessage, QueueStats, ReceiveOptions } from './sqs-queue';
import { SqsQueue } from './sqs-queue';
import type { ReceivedMessage } from './stored-message';

export interface SqsEngineOptions {
  region?: string;
  accountId?: string;
  /** Origin used in queue URLs, e.g. `http://127.0.0.1:4566`; may be set once the port is known. */
  baseUrl?: string;
}

export interface SentMessage {
  messageId: string;
  md5OfMessageBody: string;
  md5OfMessageAttributes: string | undefined;
}

export interface QueueSummary {
  name: string;
  url: string;
  arn: string;
  stats: QueueStats;
}

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
// Characters SQS accepts in a message body (XML 1.0 character range).
// eslint-disable-next-line no-control-regex
const INVALID_BODY_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * The SQS simulator's state: the queues of one account in one region. Every
 * operation takes a queue URL (or bare name) and throws AwsErrors shaped like SQS's.
 */
export class SqsEngine implements EventPublisherFactory {
  readonly region: string;
  readonly accountId: string;
  private baseUrl: string;
  private readonly queues = new Map<string, SqsQueue>();
  private closed = false;

  constructor(options: SqsEngineOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
    this.baseUrl = options.baseUrl ?? 'http://127.0.0.1:4566';
  }

  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  queueUrl(name: string): string {
    return `${this.baseUrl}/${this.accountId}/${name}`;
  }

  queueArn(name: string): string {
    return `arn:aws:sqs:${this.region}:${this.accountId}:${name}`;
  }

  /** Idempotent for the same attributes, as in SQS; different ones raise QueueNameExists. */
  createQueue(name: string, attributes: Record<string, string> = {}): string {
    if (!QUEUE_NAME.test(name)) {
      throw invalidParameterValue(
        'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const config = applyQueueAttributes(DEFAULT_QUEUE_CONFIG, attributes);
    this.checkRedriveTarget(config);
    const existing = this.queues.get(name);
    if (existing) {
      const current = renderQueueConfig(existing.config);
      const requested = renderQueueConfig(config);
      const differs = Object.keys(attributes).some((key) => current[key] !== requested[key]);
      if (differs) {
        throw sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute(s).`);
      }
      return this.queueUrl(name);
    }
    const queue = new SqsQueue(name, this.queueArn(name), config, (arn) => this.queueByArn(arn));
    if (this.closed) queue.close();
    this.queues.set(name, queue);
    return this.queueUrl(name);
  }

  getQueueUrl(name: string): string {
    if (!this.queues.has(name)) throw queueDoesNotExist();
    return this.queueUrl(name);
  }

  deleteQueue(queueUrl: string): void {
    const queue = this.queue(queueUrl);
    queue.close();
    this.queues.delete(queue.name);
  }

  listQueues(prefix = ''): string[] {
    return [...this.queues.keys()].filter((name) => name.startsWith(prefix)).map((name) => this.queueUrl(name));
  }

  /** Accepts a queue URL (any host, as SQS routes by path) or a bare queue name. */
  queue(queueUrlOrName: string): SqsQueue {
    const name = queueUrlOrName.slice(queueUrlOrName.lastIndexOf('/') + 1);
    const queue = this.queues.get(name);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  setQueueAttributes(queueUrl: string, attributes: Record<string, string>): void {
    const queue = this.queue(queueUrl);
    const config = applyQueueAttributes(queue.config, attributes);
    this.checkRedriveTarget(config);
    queue.config = config;
    queue.lastModifiedTimestamp = Date.now();
  }

  getQueueAttributes(queueUrl: string): Record<string, string> {
    const queue = this.queue(queueUrl);
    const stats = queue.stats();
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(stats.visible),
      ApproximateNumberOfMessagesNotVisible: String(stats.inFlight),
      ApproximateNumberOfMessagesDelayed: String(stats.delayed),
      CreatedTimestamp: String(Math.floor(queue.createdTimestamp / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.lastModifiedTimestamp / 1000)),
      ...renderQueueConfig(queue.config),
    };
  }

  sendMessage(queueUrl: string, message: NewMessage): SentMessage {
    const queue = this.queue(queueUrl);
    this.validateMessage(queue.config, message);
    const stored = queue.send(message);
    return {
      messageId: stored.messageId,
      md5OfMessageBody: stored.md5OfBody,
      md5OfMessageAttributes: attributesDigest(message.messageAttributes),
    };
  }

  receiveMessages(queueUrl: string, options: ReceiveOptions): Promise<ReceivedMessage[]> {
    return this.queue(queueUrl).receive(options);
  }

  deleteMessage(queueUrl: string, receiptHandle: string): void {
    this.queue(queueUrl).delete(receiptHandle);
  }

  changeMessageVisibility(queueUrl: string, receiptHandle: string, visibilityTimeout: number): void {
    this.queue(queueUrl).changeVisibility(receiptHandle, visibilityTimeout);
  }

  purgeQueue(queueUrl: string): void {
    this.queue(queueUrl).purge();
  }

  listDeadLetterSourceQueues(queueUrl: string): string[] {
    const target = this.queue(queueUrl);
    return [...this.queues.values()]
      .filter((q) => q.config.redrivePolicy?.deadLetterTargetArn === target.arn)
      .map((q) => this.queueUrl(q.name));
  }

  summaries(): QueueSummary[] {
    return [...this.queues.values()].map((q) => ({
      name: q.name,
      url: this.queueUrl(q.name),
      arn: q.arn,
      stats: q.stats(),
    }));
  }

  /** A publisher that sends each event body as a message to the queue. */
  publisherFor(queueUrlOrName: string): EventPublisher {
    const name = this.queue(queueUrlOrName).name;
    return {
      publish: (body: string) => {
        // The queue is looked up per event, so a deleted-and-recreated queue keeps receiving.
        const queue = this.queues.get(name);
        if (queue) queue.send({ body });
      },
    };
  }

  /** Ends all long polls; used when the server shuts down. */
  close(): void {
    this.closed = true;
    for (const queue of this.queues.values()) queue.close();
  }

  private queueByArn(arn: string): SqsQueue | undefined {
    const name = arn.slice(arn.lastIndexOf(':') + 1);
    const queue = this.queues.get(name);
    return queue && queue.arn === arn ? queue : undefined;
  }

  private checkRedriveTarget(config: QueueConfig): void {
    const policy = config.redrivePolicy;
    if (policy && !this.queueByArn(policy.deadLetterTargetArn)) {
      throw sqsError(
        'InvalidParameterValue',
        'Value for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.',
      );
    }
  }

  private validateMessage(config: QueueConfig, message: NewMessage): void {
    if (message.body.length === 0) {
      throw sqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (INVALID_BODY_CHAR.test(message.body)) {
      throw sqsError(
        'InvalidMessageContents',
        'Invalid binary character in message body. See the allowed character ranges in the SQS documentation.',
      );
    }
    if (message.messageAttributes) validateMessageAttributes(message.messageAttributes);
    const size = Buffer.byteLength(message.body, 'utf8') + messageAttributesSize(message.messageAttributes);
    if (size > config.maximumMessageSize) {
      throw invalidParameterValue(
        `One or more parameters are invalid. Reason: Message must be shorter than ${config.maximumMessageSize} bytes.`,
      );
    }
    if (message.delaySeconds !== undefined && (message.delaySeconds < 0 || message.delaySeconds > 900)) {
      throw invalidParameterValue(
        `Value ${message.delaySeconds} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
      );
    }
  }
}

function attributesDigest(attributes: MessageAttributeMap | undefined): string | undefined {
  return attributes && Object.keys(attributes).length > 0 ? md5OfMessageAttributes(attributes) : undefined;
}
