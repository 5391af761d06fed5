import { ConfigError } from '@ecs-state/service-runtime';
import { loadApiEnv } from './config';

describe('loadApiEnv', () => {
  it('refuses API_LIST_DEFAULT_LIMIT, which no longer exists, naming it', () => {
    expect(() => loadApiEnv({ API_LIST_DEFAULT_LIMIT: '500' })).toThrow(ConfigError);
    expect(() => loadApiEnv({ API_LIST_DEFAULT_LIMIT: '500' })).toThrow(/API_LIST_DEFAULT_LIMIT="500": no longer supported/);
    // Empty means unset, as for every variable.
    expect(loadApiEnv({ API_LIST_DEFAULT_LIMIT: '' })).toMatchObject({ API_LIST_MAX_LIMIT: 10_000 });
  });
});
