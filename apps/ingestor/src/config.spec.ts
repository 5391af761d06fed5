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
});
