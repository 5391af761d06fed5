import { loadEtcdConfig, type EtcdConfig } from '@ecs-state/etcd-store';
import { envField, loadConfigParts, parseEnv } from '@ecs-state/service-runtime';
import { z } from 'zod';
import { loadEventSourceConfig, type EventSourceSettings } from './event-source-config';

/**
 * The ingestor's environment. AWS credentials and endpoints come through the
 * SDK's standard variables (AWS_REGION, AWS_ENDPOINT_URL_SQS, AWS_ENDPOINT_URL_KINESIS, AWS_PROFILE, ...).
 */
const schema = z
  .object({
    QUEUE_URL: z.url({ error: 'must be an SQS queue URL' }).optional(),
    QUEUE_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 letters, digits, hyphens or underscores')
      .optional(),
    AWS_REGION: z.string({ error: 'is required (the region of the SQS queue or Kinesis stream)' }).regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be an AWS region like us-east-1'),
    INGEST_POLLERS: envField.integer(16, 1, 256),
    INGEST_SQS_THREAD: envField.boolean(true),
    INGEST_RECEIVE_BATCH: envField.integer(10, 1, 10),
    INGEST_WAIT_SECONDS: envField.integer(20, 0, 20),
    INGEST_VISIBILITY_TIMEOUT: envField.integer(60, 5, 43_200),
    INGEST_REJECTED_VISIBILITY_TIMEOUT: envField.integer(300, 0, 43_200),
    INGEST_MAX_MESSAGE_BYTES: envField.integer(262_144, 1024, 1_048_576),
    INGEST_WRITE_BATCH: envField.integer(100, 1, 1000),
    INGEST_WRITES_IN_FLIGHT: envField.integer(1, 1, 8),
    SERVICE_EVENTS_LIMIT: envField.integer(20, 1, 100),
    METRICS_PORT: envField.port(9100),
    SHUTDOWN_TIMEOUT_MS: envField.integer(25_000, 1000, 600_000),
    LOG_LEVEL: envField.logLevel(),
  });

export type IngestorSettings = z.infer<typeof schema>;

export interface IngestorConfig {
  settings: IngestorSettings;
  /** EVENT_SOURCE (sqs or kinesis) and the Kinesis settings. */
  source: EventSourceSettings;
  etcd: EtcdConfig;
}

/** Reads and validates everything at once, so one error lists every problem. */
export function loadIngestorConfig(env: NodeJS.ProcessEnv = process.env): IngestorConfig {
  return loadConfigParts({
    settings: () => parseEnv(schema, env),
    // Checked apart from the schema so that it is reported together with every other problem:
    // the queue for EVENT_SOURCE=sqs, the stream for kinesis.
    source: () => loadEventSourceConfig(env),
    etcd: () => loadEtcdConfig(env),
  });
}
