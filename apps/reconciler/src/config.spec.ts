import { ConfigError } from '@ecs-state/service-runtime';
import { loadReconcilerConfig } from './config';
import { parseInterval } from './duration';

describe('parseInterval', () => {
  it('reads durations with units, bare milliseconds and off', () => {
    expect(parseInterval('20m')).toBe(1_200_000);
    expect(parseInterval('90s')).toBe(90_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(parseInterval('1500')).toBe(1500);
    expect(parseInterval('off')).toBeNull();
    expect(parseInterval('0s')).toBeNull();
    expect(parseInterval('soon')).toBeUndefined();
  });
});

describe('loadReconcilerConfig', () => {
  const minimal = { REDIS_URL: 'rediss://user:secret@redis.example:6380/0', AWS_REGION: 'eu-west-1', ETCD_ENDPOINTS: 'http://127.0.0.1:2379' };

  it('applies the documented defaults', () => {
    const { settings, etcd } = loadReconcilerConfig(minimal);
    expect(settings).toMatchObject({
      RECONCILE_QUEUE_PREFIX: 'ecs-state',
      RECONCILE_INTERVAL: 20 * 60_000,
      RECONCILE_CONCURRENCY: 2,
      RECONCILE_ON_EMPTY_STORE: true,
      ECS_REQUESTS_PER_SECOND: 20,
      ECS_MAX_ATTEMPTS: 8,
      METRICS_PORT: 9102,
    });
    expect(etcd.endpoints).toEqual(['http://127.0.0.1:2379']);
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadReconcilerConfig({ REDIS_URL: 'http://nope', RECONCILE_INTERVAL: 'often', AWS_REGION: 'x' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toContain('REDIS_URL');
    expect(text).toContain('RECONCILE_INTERVAL');
    expect(text).toContain('AWS_REGION');
    expect(text).toContain('ETCD_ENDPOINTS');
  });
});
