import { sqsError } from './sqs-errors';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** The settable attributes of a queue, typed. Values are in seconds / bytes as in SQS. */
export interface QueueConfig {
  visibilityTimeout: number;
  messageRetentionPeriod: number;
  receiveMessageWaitTimeSeconds: number;
  delaySeconds: number;
  maximumMessageSize: number;
  redrivePolicy: RedrivePolicy | null;
  /** Accepted and echoed back, with no behaviour behind them (Policy, KMS settings, ...). */
  passthrough: Record<string, string>;
}

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  visibilityTimeout: 30,
  messageRetentionPeriod: 345_600,
  receiveMessageWaitTimeSeconds: 0,
  delaySeconds: 0,
  maximumMessageSize: 262_144,
  redrivePolicy: null,
  passthrough: {},
};

const INTEGER_RANGES = {
  VisibilityTimeout: [0, 43_200, 'visibilityTimeout'],
  MessageRetentionPeriod: [60, 1_209_600, 'messageRetentionPeriod'],
  ReceiveMessageWaitTimeSeconds: [0, 20, 'receiveMessageWaitTimeSeconds'],
  DelaySeconds: [0, 900, 'delaySeconds'],
  MaximumMessageSize: [1_024, 1_048_576, 'maximumMessageSize'],
} as const;

const PASSTHROUGH = new Set([
  'Policy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
]);

const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

function invalidValue(name: string, reason?: string): Error {
  return sqsError(
    'InvalidAttributeValue',
    `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`,
  );
}

export function parseInteger(name: string, raw: string, min: number, max: number): number {
  if (!/^-?\d+$/.test(raw.trim())) throw invalidValue(name);
  const value = Number(raw);
  if (value < min || value > max) throw invalidValue(name);
  return value;
}

function parseRedrivePolicy(raw: string): RedrivePolicy | null {
  if (raw === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.');
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw invalidValue('RedrivePolicy', 'Redrive policy is not a valid JSON map.');
  }
  const { deadLetterTargetArn, maxReceiveCount } = parsed as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string' || !deadLetterTargetArn.startsWith('arn:')) {
    throw invalidValue('RedrivePolicy', 'Invalid value for deadLetterTargetArn.');
  }
  const count = typeof maxReceiveCount === 'number' ? maxReceiveCount : Number(maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidValue('RedrivePolicy', 'Invalid value for maxReceiveCount.');
  }
  return { deadLetterTargetArn, maxReceiveCount: count };
}

/** Applies CreateQueue / SetQueueAttributes attributes to `base`, validating each one. */
export function applyQueueAttributes(base: QueueConfig, attributes: Record<string, string>): QueueConfig {
  const next: QueueConfig = { ...base, passthrough: { ...base.passthrough } };
  for (const [name, raw] of Object.entries(attributes)) {
    if (name in INTEGER_RANGES) {
      const [min, max, key] = INTEGER_RANGES[name as keyof typeof INTEGER_RANGES];
      next[key] = parseInteger(name, raw, min, max);
    } else if (name === 'RedrivePolicy') {
      next.redrivePolicy = parseRedrivePolicy(raw);
    } else if (PASSTHROUGH.has(name)) {
      next.passthrough[name] = raw;
    } else if (FIFO_ONLY.has(name)) {
      if (name === 'FifoQueue' && raw === 'false') continue;
      throw sqsError('InvalidAttributeName', `Attribute ${name} is only valid for FIFO queues, which are not simulated.`);
    } else {
      throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    }
  }
  return next;
}

export function renderQueueConfig(config: QueueConfig): Record<string, string> {
  const rendered: Record<string, string> = {
    VisibilityTimeout: String(config.visibilityTimeout),
    MessageRetentionPeriod: String(config.messageRetentionPeriod),
    ReceiveMessageWaitTimeSeconds: String(config.receiveMessageWaitTimeSeconds),
    DelaySeconds: String(config.delaySeconds),
    MaximumMessageSize: String(config.maximumMessageSize),
    SqsManagedSseEnabled: 'false',
    ...config.passthrough,
  };
  if (config.redrivePolicy) {
    rendered['RedrivePolicy'] = JSON.stringify(config.redrivePolicy);
  }
  return rendered;
}
