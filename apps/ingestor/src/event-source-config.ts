import { ConfigError, envField, parseEnv } from '@ecs-state/service-runtime';
import { z } from 'zod';

/**
 * Which source the ingestor reads (EVENT_SOURCE) and the Kinesis settings. The
 * SQS settings stay in the main schema: they keep their defaults either way.
 */
const schema = z.object({
  EVENT_SOURCE: z.enum(['sqs', 'kinesis'], { error: 'must be sqs or kinesis' }).default('sqs'),
  KINESIS_STREAM_NAME: z
    .string()
    .regex(/^[a-zA-Z0-9_.-]{1,128}$/, 'must be 1-128 letters, digits, dots, hyphens or underscores')
    .optional(),
  KINESIS_STREAM_ARN: z
    .string()
    .regex(/^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]{1,128}$/, 'must be a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)')
    .optional(),
  KINESIS_POISON_QUEUE_URL: z.url({ error: 'must be an SQS queue URL' }).optional(),
  KINESIS_LEASE_TTL_SECONDS: envField.integer(10, 2, 300),
  KINESIS_SHARD_SYNC_MS: envField.integer(5000, 100, 300_000),
  KINESIS_GET_RECORDS_LIMIT: envField.integer(10_000, 1, 10_000),
  KINESIS_IDLE_POLL_MS: envField.integer(1000, 10, 60_000),
});

export type EventSourceSettings = z.infer<typeof schema>;

const KINESIS_ONLY = ['KINESIS_STREAM_NAME', 'KINESIS_STREAM_ARN', 'KINESIS_POISON_QUEUE_URL'] as const;

/** The source settings, with the cross-field rules: the right target for the chosen source, and nothing of the other. */
export function loadEventSourceConfig(env: NodeJS.ProcessEnv): EventSourceSettings {
  const settings = parseEnv(schema, env);
  const problems: string[] = [];
  if (settings.EVENT_SOURCE === 'kinesis') {
    if (!settings.KINESIS_STREAM_NAME && !settings.KINESIS_STREAM_ARN) {
      problems.push('KINESIS_STREAM_NAME: set KINESIS_STREAM_NAME or KINESIS_STREAM_ARN (EVENT_SOURCE=kinesis)');
    }
    if (settings.KINESIS_STREAM_NAME && settings.KINESIS_STREAM_ARN) problems.push('KINESIS_STREAM_ARN: set KINESIS_STREAM_NAME or KINESIS_STREAM_ARN, not both');
    if (env.QUEUE_URL || env.QUEUE_NAME) problems.push(`${env.QUEUE_URL ? 'QUEUE_URL' : 'QUEUE_NAME'}: the queue is not read with EVENT_SOURCE=kinesis; unset it`);
  } else {
    if (!env.QUEUE_URL && !env.QUEUE_NAME) problems.push('QUEUE_URL: set QUEUE_URL or QUEUE_NAME');
    for (const name of KINESIS_ONLY) if (settings[name]) problems.push(`${name}: only read with EVENT_SOURCE=kinesis`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
