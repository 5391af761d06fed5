import { ConfigError } from '@ecs-state/service-runtime';
import { loadApiConfig, loadApiEnv } from './config';

describe('loadApiEnv', () => {
  it('refuses API_LIST_DEFAULT_LIMIT, which no longer exists, naming it', () => {
    expect(() => loadApiEnv({ API_LIST_DEFAULT_LIMIT: '500' })).toThrow(ConfigError);
    expect(() => loadApiEnv({ API_LIST_DEFAULT_LIMIT: '500' })).toThrow(/API_LIST_DEFAULT_LIMIT="500": no longer supported/);
    // Empty means unset, as for every variable.
    expect(loadApiEnv({ API_LIST_DEFAULT_LIMIT: '' })).toMatchObject({ API_LIST_MAX_LIMIT: 10_000 });
  });

  it('has defaults for the Redis and request timeouts, and refuses values out of range, naming them', () => {
    expect(loadApiEnv({})).toMatchObject({ API_REDIS_TIMEOUT_MS: 2_000, API_REQUEST_TIMEOUT_MS: 30_000 });
    expect(loadApiEnv({ API_REDIS_TIMEOUT_MS: '500', API_REQUEST_TIMEOUT_MS: '5000' })).toMatchObject({ API_REDIS_TIMEOUT_MS: 500, API_REQUEST_TIMEOUT_MS: 5000 });
    expect(() => loadApiEnv({ API_REDIS_TIMEOUT_MS: '0' })).toThrow(/API_REDIS_TIMEOUT_MS/);
    expect(() => loadApiEnv({ API_REDIS_TIMEOUT_MS: 'soon' })).toThrow(/API_REDIS_TIMEOUT_MS/);
    expect(() => loadApiEnv({ API_REQUEST_TIMEOUT_MS: '999' })).toThrow(/API_REQUEST_TIMEOUT_MS/);
  });
});

describe('RECONCILE_QUEUE_PREFIX', () => {
  it('is checked and defaulted as the reconciler checks it, so that both name the same queues', () => {
    expect(loadApiEnv({}).RECONCILE_QUEUE_PREFIX).toBe('ecs-state');
    expect(loadApiEnv({ RECONCILE_QUEUE_PREFIX: 'prod-ecs-state' }).RECONCILE_QUEUE_PREFIX).toBe('prod-ecs-state');
    expect(() => loadApiEnv({ RECONCILE_QUEUE_PREFIX: 'prod:ecs' })).toThrow(/RECONCILE_QUEUE_PREFIX="prod:ecs": must be 1-64 letters, digits, dots, hyphens or underscores/);
  });
});

describe('loadApiConfig', () => {
  it('lists the api and etcd problems together, and carries ETCD_PREFIX as checked', () => {
    expect(() => loadApiConfig({ PORT: 'x', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', ETCD_PREFIX: '/ecs.state' })).toThrow(ConfigError);
    expect(() => loadApiConfig({ PORT: 'x', ETCD_ENDPOINTS: 'http://127.0.0.1:2379', ETCD_PREFIX: '/ecs.state' })).toThrow(/PORT="x"[\s\S]*ETCD_PREFIX: key prefix "\/ecs.state" has segment/);
    expect(loadApiConfig({ ETCD_ENDPOINTS: 'http://127.0.0.1:2379', ETCD_PREFIX: '/prod/ecs-state' }).etcd.prefix).toBe('/prod/ecs-state');
  });
});
