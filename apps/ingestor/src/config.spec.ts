import { ConfigError } from '@ecs-state/service-runtime';
import { loadIngestorConfig } from './config';

const base = { AWS_REGION: 'us-east-1', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', QUEUE_NAME: 'ecs-events' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadIngestorConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('ingestor configuration', () => {
  it('has documented defaults', () => {
    const { settings, etcd } = loadIngestorConfig(base);
    expect(settings).toMatchObject({
      QUEUE_NAME: 'ecs-events',
      INGEST_POLLERS: 16,
      INGEST_SQS_THREAD: true,
      INGEST_RECEIVE_BATCH: 10,
      INGEST_WAIT_SECONDS: 20,
      INGEST_VISIBILITY_TIMEOUT: 60,
      INGEST_REJECTED_VISIBILITY_TIMEOUT: 300,
      INGEST_MAX_MESSAGE_BYTES: 262144,
      INGEST_WRITE_BATCH: 100,
      INGEST_WRITES_IN_FLIGHT: 1,
      METRICS_PORT: 9100,
      SHUTDOWN_TIMEOUT_MS: 25000,
      LOG_LEVEL: 'info',
    });
    expect(etcd.endpoints).toEqual(['http://127.0.0.1:2379']);
  });

  it('requires a queue', () => {
    expect(problemsOf({ ...base, QUEUE_NAME: undefined })).toEqual(['QUEUE_URL: set QUEUE_URL or QUEUE_NAME']);
  });

  it('accepts a queue URL instead of a name', () => {
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-events';
    expect(loadIngestorConfig({ ...base, QUEUE_NAME: undefined, QUEUE_URL: url }).settings.QUEUE_URL).toBe(url);
  });

  it.each(['/ecs.state', '/a//b'])('refuses ETCD_PREFIX=%s among the configuration problems, with the others', (prefix) => {
    const problems = problemsOf({ ...base, ETCD_PREFIX: prefix, INGEST_POLLERS: '0' });
    expect(problems).toContainEqual(expect.stringMatching(/^ETCD_PREFIX: key prefix .* has segment/));
    expect(problems).toContainEqual(expect.stringMatching(/^INGEST_POLLERS/));
  });

  it('carries ETCD_PREFIX as it was checked', () => {
    expect(loadIngestorConfig({ ...base, ETCD_PREFIX: '/prod/ecs-state' }).etcd.prefix).toBe('/prod/ecs-state');
  });

  it('lists every problem, including the etcd settings, at once', () => {
    const problems = problemsOf({
      QUEUE_NAME: 'bad name!',
      INGEST_RECEIVE_BATCH: '11',
      INGEST_WAIT_SECONDS: 'soon',
      INGEST_POLLERS: '257',
      INGEST_SQS_THREAD: 'maybe',
    });
    expect(problems.join('\n')).toMatch(/QUEUE_NAME="bad name!": must be 1-80 letters/);
    expect(problems.join('\n')).toMatch(/AWS_REGION: is required/);
    expect(problems.join('\n')).toMatch(/INGEST_RECEIVE_BATCH="11": must be at most 10/);
    expect(problems.join('\n')).toMatch(/INGEST_WAIT_SECONDS="soon": must be a whole number/);
    expect(problems.join('\n')).toMatch(/INGEST_POLLERS="257": must be at most 256/);
    expect(problems.join('\n')).toMatch(/INGEST_SQS_THREAD="maybe": must be true or false/);
    expect(problems.join('\n')).toMatch(/ETCD_ENDPOINTS/);
  });

  describe('EVENT_SOURCE', () => {
    const kinesis = { AWS_REGION: 'us-east-1', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', EVENT_SOURCE: 'kinesis' };
    const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/ecs-events';

    it('defaults to sqs, with the Kinesis settings at their documented defaults', () => {
      expect(loadIngestorConfig(base).source).toEqual({
        EVENT_SOURCE: 'sqs',
        KINESIS_LEASE_TTL_SECONDS: 10,
        KINESIS_SHARD_SYNC_MS: 5000,
        KINESIS_GET_RECORDS_LIMIT: 10000,
        KINESIS_IDLE_POLL_MS: 1000,
      });
    });

    it('reads a stream by name or ARN, with an optional poison queue', () => {
      expect(loadIngestorConfig({ ...kinesis, KINESIS_STREAM_NAME: 'ecs-events' }).source).toMatchObject({ EVENT_SOURCE: 'kinesis', KINESIS_STREAM_NAME: 'ecs-events' });
      const poison = 'https://sqs.us-east-1.amazonaws.com/123456789012/ecs-events-dlq';
      expect(loadIngestorConfig({ ...kinesis, KINESIS_STREAM_ARN: arn, KINESIS_POISON_QUEUE_URL: poison }).source).toMatchObject({
        KINESIS_STREAM_ARN: arn,
        KINESIS_POISON_QUEUE_URL: poison,
      });
    });

    it('needs exactly one stream with kinesis, and no queue', () => {
      expect(problemsOf(kinesis)).toEqual(['KINESIS_STREAM_NAME: set KINESIS_STREAM_NAME or KINESIS_STREAM_ARN (EVENT_SOURCE=kinesis)']);
      expect(problemsOf({ ...kinesis, KINESIS_STREAM_NAME: 'a', KINESIS_STREAM_ARN: arn })).toEqual(['KINESIS_STREAM_ARN: set KINESIS_STREAM_NAME or KINESIS_STREAM_ARN, not both']);
      expect(problemsOf({ ...kinesis, KINESIS_STREAM_NAME: 'a', QUEUE_NAME: 'ecs-events' })).toEqual(['QUEUE_NAME: the queue is not read with EVENT_SOURCE=kinesis; unset it']);
    });

    it('refuses Kinesis settings without kinesis, and bad values, naming each', () => {
      expect(problemsOf({ ...base, KINESIS_STREAM_NAME: 'a' })).toEqual(['KINESIS_STREAM_NAME: only read with EVENT_SOURCE=kinesis']);
      const problems = problemsOf({ ...kinesis, EVENT_SOURCE: 'kafka', KINESIS_STREAM_ARN: 'arn:aws:sqs:us-east-1:1:q', KINESIS_LEASE_TTL_SECONDS: '1' }).join('\n');
      expect(problems).toMatch(/EVENT_SOURCE="kafka": must be sqs or kinesis/);
      expect(problems).toMatch(/KINESIS_STREAM_ARN="arn:aws:sqs:us-east-1:1:q": must be a Kinesis stream ARN/);
      expect(problems).toMatch(/KINESIS_LEASE_TTL_SECONDS="1": must be at least 2/);
    });
  });
});
