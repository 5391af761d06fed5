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
      ECS_REQUEST_TIMEOUT_MS: 10_000,
      METRICS_PORT: 9102,
    });
    expect(etcd.endpoints).toEqual(['http://127.0.0.1:2379']);
  });

  it('without RECONCILE_TARGETS reconciles one target: the region, the account found in ECS, the ECS endpoint', () => {
    expect(loadReconcilerConfig(minimal).targets).toEqual([{ partition: 'aws', region: 'eu-west-1' }]);
    expect(loadReconcilerConfig({ ...minimal, AWS_REGION: 'cn-north-1', AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:4566' }).targets).toEqual([
      { partition: 'aws-cn', region: 'cn-north-1', endpoint: 'http://127.0.0.1:4566' },
    ]);
  });

  it('reads a target list, which needs no AWS_REGION; AWS_ENDPOINT_URL_ECS serves the targets without an endpoint of their own', () => {
    const { REDIS_URL, ETCD_ENDPOINTS } = minimal;
    const list = JSON.stringify([
      { account: '111122223333', region: 'us-east-1' },
      { account: '444455556666', region: 'eu-west-1', roleArn: 'arn:aws:iam::444455556666:role/reader', endpoint: 'http://127.0.0.1:5000' },
    ]);
    const { targets } = loadReconcilerConfig({ REDIS_URL, ETCD_ENDPOINTS, RECONCILE_TARGETS: list, AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:4566' });
    expect(targets).toEqual([
      { partition: 'aws', region: 'us-east-1', account: '111122223333', endpoint: 'http://127.0.0.1:4566' },
      { partition: 'aws', region: 'eu-west-1', account: '444455556666', roleArn: 'arn:aws:iam::444455556666:role/reader', endpoint: 'http://127.0.0.1:5000' },
    ]);
    expect(loadReconcilerConfig({ REDIS_URL, ETCD_ENDPOINTS, RECONCILE_TARGETS: '111122223333:us-east-1,444455556666:us-west-2' }).targets).toHaveLength(2);
  });

  it('refuses a bad target list, naming the entry, together with the other problems', () => {
    let error: unknown;
    try {
      loadReconcilerConfig({ ...minimal, RECONCILE_TARGETS: '111122223333:us-east-1,4444:eu-west-1', RECONCILE_CONCURRENCY: 'many' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    expect(text).toContain('RECONCILE_TARGETS="111122223333:us-east-1,4444:eu-west-1": entry 2 ("4444:eu-west-1"): account must be 12 digits');
    expect(text).toContain('RECONCILE_CONCURRENCY');
  });

  it('bounds ECS_REQUEST_TIMEOUT_MS: 100 ms to 10 minutes, whole milliseconds', () => {
    expect(loadReconcilerConfig({ ...minimal, ECS_REQUEST_TIMEOUT_MS: '2500' }).settings.ECS_REQUEST_TIMEOUT_MS).toBe(2500);
    for (const bad of ['0', '50', '600001', '1.5', 'soon']) {
      expect(() => loadReconcilerConfig({ ...minimal, ECS_REQUEST_TIMEOUT_MS: bad })).toThrow(/ECS_REQUEST_TIMEOUT_MS/);
    }
  });

  it('needs AWS_REGION or RECONCILE_TARGETS', () => {
    const { REDIS_URL, ETCD_ENDPOINTS } = minimal;
    expect(() => loadReconcilerConfig({ REDIS_URL, ETCD_ENDPOINTS, AWS_REGION: '' })).toThrow(/AWS_REGION: is required \(the ECS region\) unless RECONCILE_TARGETS/);
  });

  it.each(['/ecs.state', '/a//b'])('refuses ETCD_PREFIX=%s among the configuration problems, with the others', (prefix) => {
    let error: unknown;
    try {
      loadReconcilerConfig({ ...minimal, ETCD_PREFIX: prefix, RECONCILE_CONCURRENCY: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toContainEqual(expect.stringMatching(/^ETCD_PREFIX: key prefix .* has segment/));
    expect((error as ConfigError).problems).toContainEqual(expect.stringMatching(/^RECONCILE_CONCURRENCY/));
  });

  it('refuses a RECONCILE_QUEUE_PREFIX the api would refuse too', () => {
    expect(() => loadReconcilerConfig({ ...minimal, RECONCILE_QUEUE_PREFIX: 'prod:ecs' })).toThrow(/RECONCILE_QUEUE_PREFIX="prod:ecs": must be 1-64 letters/);
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
