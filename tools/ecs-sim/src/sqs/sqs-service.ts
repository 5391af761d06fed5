import { z } from 'zod';
import { AwsError } from '../aws/aws-error';
import type { CallContext, SimulatedService, WireError } from '../aws/service';
import type { MessageAttributeMap } from './message-attributes';
import { md5OfMessageAttributes, messageAttributeMapSchema, selectMessageAttributes } from './message-attributes';
import type { SqsEngine } from './sqs-engine';
import { invalidParameterValue, sqsError, sqsErrorType, sqsQueryErrorCode } from './sqs-errors';
import type { ReceivedMessage } from './stored-message';

const queueUrl = z.string();
const attributeMap = z.record(z.string(), z.string());

const schemas = {
  CreateQueue: z.object({ QueueName: z.string(), Attributes: attributeMap.optional() }),
  GetQueueUrl: z.object({ QueueName: z.string(), QueueOwnerAWSAccountId: z.string().optional() }),
  DeleteQueue: z.object({ QueueUrl: queueUrl }),
  ListQueues: z.object({ QueueNamePrefix: z.string().optional(), MaxResults: z.number().int().optional() }),
  GetQueueAttributes: z.object({ QueueUrl: queueUrl, AttributeNames: z.array(z.string()).optional() }),
  SetQueueAttributes: z.object({ QueueUrl: queueUrl, Attributes: attributeMap }),
  PurgeQueue: z.object({ QueueUrl: queueUrl }),
  ListDeadLetterSourceQueues: z.object({ QueueUrl: queueUrl }),
  SendMessage: z.object({
    QueueUrl: queueUrl,
    MessageBody: z.string(),
    DelaySeconds: z.number().int().optional(),
    MessageAttributes: messageAttributeMapSchema.optional(),
    MessageSystemAttributes: messageAttributeMapSchema.optional(),
  }),
  SendMessageBatch: z.object({
    QueueUrl: queueUrl,
    Entries: z.array(
      z.object({
        Id: z.string(),
        MessageBody: z.string(),
        DelaySeconds: z.number().int().optional(),
        MessageAttributes: messageAttributeMapSchema.optional(),
        MessageSystemAttributes: messageAttributeMapSchema.optional(),
      }),
    ),
  }),
  ReceiveMessage: z.object({
    QueueUrl: queueUrl,
    AttributeNames: z.array(z.string()).optional(),
    MessageSystemAttributeNames: z.array(z.string()).optional(),
    MessageAttributeNames: z.array(z.string()).optional(),
    MaxNumberOfMessages: z.number().int().optional(),
    VisibilityTimeout: z.number().int().optional(),
    WaitTimeSeconds: z.number().int().optional(),
    ReceiveRequestAttemptId: z.string().optional(),
  }),
  DeleteMessage: z.object({ QueueUrl: queueUrl, ReceiptHandle: z.string() }),
  DeleteMessageBatch: z.object({
    QueueUrl: queueUrl,
    Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string() })),
  }),
  ChangeMessageVisibility: z.object({
    QueueUrl: queueUrl,
    ReceiptHandle: z.string(),
    VisibilityTimeout: z.number().int(),
  }),
  ChangeMessageVisibilityBatch: z.object({
    QueueUrl: queueUrl,
    Entries: z.array(z.object({ Id: z.string(), ReceiptHandle: z.string(), VisibilityTimeout: z.number().int() })),
  }),
} as const;

type Operation = keyof typeof schemas;
type Input<O extends Operation> = z.infer<(typeof schemas)[O]>;

const QUEUE_ATTRIBUTE_NAMES = new Set([
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'DelaySeconds',
  'MaximumMessageSize',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'Policy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
]);

const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

interface BatchFailure {
  Id: string;
  SenderFault: boolean;
  Code: string;
  Message: string;
}

function parseInput<O extends Operation>(operation: O, input: Record<string, unknown>): Input<O> {
  const result = schemas[operation].safeParse(input);
  if (result.success) return result.data as Input<O>;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  if (issue && issue.code === 'invalid_type' && issue.path.length === 1 && input[String(issue.path[0])] === undefined) {
    throw sqsError('MissingParameter', `The request must contain the parameter ${field}.`);
  }
  throw invalidParameterValue(`Value for parameter ${field} is invalid. Reason: ${issue?.message ?? 'invalid input'}.`);
}

function checkRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && (value < min || value > max)) {
    throw invalidParameterValue(
      `Value ${value} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
}

/** Validates the batch envelope, as SQS does before looking at any entry. */
function checkBatch(entries: readonly { Id: string }[], totalBytes = 0, maxBytes = Infinity): void {
  if (entries.length === 0) {
    throw sqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  }
  if (entries.length > 10) {
    throw sqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const ids = new Set<string>();
  for (const { Id } of entries) {
    if (!BATCH_ENTRY_ID.test(Id)) {
      throw sqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (ids.has(Id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${Id} repeated.`);
    ids.add(Id);
  }
  if (totalBytes > maxBytes) {
    throw sqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${maxBytes} bytes. You have sent ${totalBytes} bytes.`,
    );
  }
}

function batchFailure(id: string, error: unknown): BatchFailure {
  if (error instanceof AwsError) {
    return { Id: id, SenderFault: error.statusCode < 500, Code: error.code, Message: error.message };
  }
  throw error;
}

function renderMessage(
  message: ReceivedMessage,
  systemNames: ReadonlySet<string>,
  messageAttributeNames: readonly string[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
  };
  if (systemNames.size > 0) {
    const all = systemNames.has('All');
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      if (all || systemNames.has(name)) attributes[name] = value;
    }
    if (Object.keys(attributes).length > 0) out['Attributes'] = attributes;
  }
  const selected = selectMessageAttributes(message.messageAttributes, messageAttributeNames);
  if (selected) {
    out['MessageAttributes'] = selected;
    out['MD5OfMessageAttributes'] = md5OfMessageAttributes(selected);
  }
  return out;
}

function systemAttributesOf(input: MessageAttributeMap | undefined): Record<string, string> | undefined {
  const trace = input?.['AWSTraceHeader']?.StringValue;
  return trace === undefined ? undefined : { AWSTraceHeader: trace };
}

/** SQS over the JSON protocol (awsJson1.0, query-compatible errors) in front of an SqsEngine. */
export class SqsService implements SimulatedService {
  readonly targetPrefix = 'AmazonSQS';
  readonly contentType = 'application/x-amz-json-1.0';

  constructor(readonly engine: SqsEngine) {}

  formatError(error: AwsError, context: CallContext): WireError {
    const wire: WireError = { type: sqsErrorType(error.code) };
    if (context.headers['x-amzn-query-mode'] === 'true') {
      const fault = error.statusCode >= 500 ? 'Receiver' : 'Sender';
      wire.headers = { 'x-amzn-query-error': `${sqsQueryErrorCode(error.code)};${fault}` };
    }
    return wire;
  }

  async handle(operation: string, input: Record<string, unknown>, context?: CallContext): Promise<unknown> {
    const engine = this.engine;
    switch (operation) {
      case 'CreateQueue': {
        const { QueueName, Attributes } = parseInput(operation, input);
        return { QueueUrl: engine.createQueue(QueueName, Attributes) };
      }
      case 'GetQueueUrl':
        return { QueueUrl: engine.getQueueUrl(parseInput(operation, input).QueueName) };
      case 'DeleteQueue':
        engine.deleteQueue(parseInput(operation, input).QueueUrl);
        return {};
      case 'ListQueues': {
        const { QueueNamePrefix, MaxResults } = parseInput(operation, input);
        checkRange('MaxResults', MaxResults, 1, 1000);
        const urls = engine.listQueues(QueueNamePrefix).slice(0, MaxResults ?? 1000);
        return urls.length > 0 ? { QueueUrls: urls } : {};
      }
      case 'GetQueueAttributes':
        return this.getQueueAttributes(parseInput(operation, input));
      case 'SetQueueAttributes': {
        const { QueueUrl, Attributes } = parseInput(operation, input);
        engine.setQueueAttributes(QueueUrl, Attributes);
        return {};
      }
      case 'PurgeQueue':
        engine.purgeQueue(parseInput(operation, input).QueueUrl);
        return {};
      case 'ListDeadLetterSourceQueues':
        return { queueUrls: engine.listDeadLetterSourceQueues(parseInput(operation, input).QueueUrl) };
      case 'SendMessage':
        return this.sendMessage(parseInput(operation, input));
      case 'SendMessageBatch':
        return this.sendMessageBatch(parseInput(operation, input));
      case 'ReceiveMessage':
        return this.receiveMessage(parseInput(operation, input), context?.signal);
      case 'DeleteMessage': {
        const { QueueUrl, ReceiptHandle } = parseInput(operation, input);
        engine.deleteMessage(QueueUrl, ReceiptHandle);
        return {};
      }
      case 'DeleteMessageBatch': {
        const { QueueUrl, Entries } = parseInput(operation, input);
        engine.queue(QueueUrl);
        checkBatch(Entries);
        return this.runBatch(Entries, (entry) => engine.deleteMessage(QueueUrl, entry.ReceiptHandle));
      }
      case 'ChangeMessageVisibility': {
        const { QueueUrl, ReceiptHandle, VisibilityTimeout } = parseInput(operation, input);
        checkRange('VisibilityTimeout', VisibilityTimeout, 0, 43_200);
        engine.changeMessageVisibility(QueueUrl, ReceiptHandle, VisibilityTimeout);
        return {};
      }
      case 'ChangeMessageVisibilityBatch': {
        const { QueueUrl, Entries } = parseInput(operation, input);
        engine.queue(QueueUrl);
        checkBatch(Entries);
        return this.runBatch(Entries, (entry) => {
          checkRange('VisibilityTimeout', entry.VisibilityTimeout, 0, 43_200);
          engine.changeMessageVisibility(QueueUrl, entry.ReceiptHandle, entry.VisibilityTimeout);
        });
      }
      default:
        throw new AwsError('UnknownOperationException', `Operation ${operation} is not supported by the simulator.`);
    }
  }

  private getQueueAttributes({ QueueUrl, AttributeNames }: Input<'GetQueueAttributes'>): unknown {
    const all = this.engine.getQueueAttributes(QueueUrl);
    const names = AttributeNames ?? [];
    for (const name of names) {
      if (name !== 'All' && !QUEUE_ATTRIBUTE_NAMES.has(name)) {
        throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
      }
    }
    if (names.includes('All')) return { Attributes: all };
    const selected: Record<string, string> = {};
    for (const name of names) {
      const value = all[name];
      if (value !== undefined) selected[name] = value;
    }
    return Object.keys(selected).length > 0 ? { Attributes: selected } : {};
  }

  private sendMessage(input: Input<'SendMessage'>): unknown {
    const sent = this.engine.sendMessage(input.QueueUrl, {
      body: input.MessageBody,
      delaySeconds: input.DelaySeconds,
      messageAttributes: input.MessageAttributes,
      systemAttributes: systemAttributesOf(input.MessageSystemAttributes),
    });
    return {
      MessageId: sent.messageId,
      MD5OfMessageBody: sent.md5OfMessageBody,
      ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
    };
  }

  private sendMessageBatch({ QueueUrl, Entries }: Input<'SendMessageBatch'>): unknown {
    const queue = this.engine.queue(QueueUrl);
    const totalBytes = Entries.reduce((sum, e) => sum + Buffer.byteLength(e.MessageBody, 'utf8'), 0);
    checkBatch(Entries, totalBytes, queue.config.maximumMessageSize);
    const Successful: Record<string, unknown>[] = [];
    const Failed: BatchFailure[] = [];
    for (const entry of Entries) {
      try {
        const sent = this.engine.sendMessage(QueueUrl, {
          body: entry.MessageBody,
          delaySeconds: entry.DelaySeconds,
          messageAttributes: entry.MessageAttributes,
          systemAttributes: systemAttributesOf(entry.MessageSystemAttributes),
        });
        Successful.push({
          Id: entry.Id,
          MessageId: sent.messageId,
          MD5OfMessageBody: sent.md5OfMessageBody,
          ...(sent.md5OfMessageAttributes ? { MD5OfMessageAttributes: sent.md5OfMessageAttributes } : {}),
        });
      } catch (error) {
        Failed.push(batchFailure(entry.Id, error));
      }
    }
    return { Successful, Failed };
  }

  private async receiveMessage(input: Input<'ReceiveMessage'>, signal: AbortSignal | undefined): Promise<unknown> {
    const queue = this.engine.queue(input.QueueUrl);
    checkRange('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10);
    checkRange('VisibilityTimeout', input.VisibilityTimeout, 0, 43_200);
    checkRange('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20);
    const messages = await queue.receive({
      maxMessages: input.MaxNumberOfMessages ?? 1,
      visibilityTimeout: input.VisibilityTimeout ?? queue.config.visibilityTimeout,
      waitTimeSeconds: input.WaitTimeSeconds ?? queue.config.receiveMessageWaitTimeSeconds,
      signal,
    });
    if (messages.length === 0) return {};
    const systemNames = new Set([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
    return { Messages: messages.map((m) => renderMessage(m, systemNames, input.MessageAttributeNames)) };
  }

  private runBatch<E extends { Id: string }>(entries: readonly E[], run: (entry: E) => void): unknown {
    const Successful: { Id: string }[] = [];
    const Failed: BatchFailure[] = [];
    for (const entry of entries) {
      try {
        run(entry);
        Successful.push({ Id: entry.Id });
      } catch (error) {
        Failed.push(batchFailure(entry.Id, error));
      }
    }
    return { Successful, Failed };
  }
}
