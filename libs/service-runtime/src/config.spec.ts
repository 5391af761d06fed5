import { z } from 'zod';
import { ConfigError, envField, loadConfigParts, parseEnv } from './config';

const schema = z.object({
  PORT: envField.port(3000),
  ENABLED: envField.boolean(false),
  LOG_LEVEL: envField.logLevel(),
  ENDPOINTS: envField.list(),
  BATCH: envField.integer(10, 1, 10),
});

describe('parseEnv', () => {
  it('applies documented defaults and parses values', () => {
    const config = parseEnv(schema, { ENDPOINTS: 'a, b,,c', ENABLED: 'yes', BATCH: '' });
    expect(config).toEqual({ PORT: 3000, ENABLED: true, LOG_LEVEL: 'info', ENDPOINTS: ['a', 'b', 'c'], BATCH: 10 });
  });

  it('reports every invalid or missing variable by name in one error', () => {
    let error: unknown;
    try {
      parseEnv(schema, { PORT: '70000', LOG_LEVEL: 'loud', BATCH: '1.5' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT="70000": must be at most 65535');
    expect(problems).toContain('LOG_LEVEL="loud": must be one of error, warn, info, debug');
    expect(problems).toContain('BATCH="1.5": must be a whole number');
    expect(problems).toMatch(/ENDPOINTS: /);
    expect((error as ConfigError).problems).toHaveLength(4);
  });
});

describe('loadConfigParts', () => {
  it('returns each part when every loader succeeds', () => {
    expect(loadConfigParts({ a: () => 1, b: () => 'x' })).toEqual({ a: 1, b: 'x' });
  });

  it('collects the problems of every failing loader into one ConfigError', () => {
    let error: unknown;
    try {
      loadConfigParts({
        settings: () => parseEnv(schema, { PORT: 'x', ENDPOINTS: 'a' }),
        etcd: () => {
          throw new Error('ETCD_ENDPOINTS: is required');
        },
        fine: () => 3,
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['PORT="x": must be a whole number', 'ETCD_ENDPOINTS: is required']);
  });
});
