import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { createEtcdClient } from './create-etcd-client';
import { loadEtcdConfig } from './etcd-config';
import { EtcdConfigError } from './etcd-config-error';

const tempDirs: string[] = [];
/** A temporary folder for TLS files, removed after each test. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'etcd-tls-'));
  tempDirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configError(env: Record<string, string>): EtcdConfigError {
  try {
    loadEtcdConfig(env);
  } catch (error) {
    if (error instanceof EtcdConfigError) return error;
    throw error;
  }
  throw new Error('expected an EtcdConfigError');
}

describe('loadEtcdConfig', () => {
  it('applies defaults to a minimal environment', () => {
    expect(loadEtcdConfig({ ETCD_ENDPOINTS: 'http://127.0.0.1:2379' })).toEqual({
      endpoints: ['http://127.0.0.1:2379'],
      prefix: '/ecs-state',
      dialTimeoutMs: 5000,
      requestTimeoutMs: 10000,
      quotaBackendBytes: 2147483648,
      statusIntervalMs: 10000,
      maxReceiveBytes: 67108864,
    });
  });

  it('reads every setting', () => {
    const config = loadEtcdConfig({
      ETCD_ENDPOINTS: ' https://etcd-1.internal:2379/, https://[::1]:2380 ',
      ETCD_TLS_CA_FILE: '/etc/etcd/ca.pem',
      ETCD_TLS_CERT_FILE: '/etc/etcd/client.pem',
      ETCD_TLS_KEY_FILE: '/etc/etcd/client-key.pem',
      ETCD_USERNAME: 'ecs',
      ETCD_PASSWORD: ' secret ',
      ETCD_PREFIX: '/prod/ecs-state',
      ETCD_DIAL_TIMEOUT_MS: '2000',
      ETCD_REQUEST_TIMEOUT_MS: '3000',
      ETCD_QUOTA_BACKEND_BYTES: '8589934592',
      ETCD_STATUS_INTERVAL_MS: '30000',
      ETCD_MAX_RECEIVE_BYTES: '16777216',
    });
    expect(config).toEqual({
      endpoints: ['https://etcd-1.internal:2379', 'https://[::1]:2380'],
      tls: { caFile: '/etc/etcd/ca.pem', certFile: '/etc/etcd/client.pem', keyFile: '/etc/etcd/client-key.pem' },
      auth: { username: 'ecs', password: ' secret ' },
      prefix: '/prod/ecs-state',
      dialTimeoutMs: 2000,
      requestTimeoutMs: 3000,
      quotaBackendBytes: 8589934592,
      statusIntervalMs: 30000,
      maxReceiveBytes: 16777216,
    });
  });

  it.each([
    [{}, 'ETCD_ENDPOINTS', 'ETCD_ENDPOINTS: is required'],
    [{ ETCD_ENDPOINTS: '127.0.0.1:2379' }, 'ETCD_ENDPOINTS', 'is not of the form http(s)://host:port'],
    [{ ETCD_ENDPOINTS: 'http://127.0.0.1' }, 'ETCD_ENDPOINTS', '"http://127.0.0.1" is not of the form'],
    [{ ETCD_ENDPOINTS: 'grpc://127.0.0.1:2379' }, 'ETCD_ENDPOINTS', 'is not of the form'],
    [{ ETCD_ENDPOINTS: 'http://127.0.0.1:99999' }, 'ETCD_ENDPOINTS', 'invalid port'],
    [{ ETCD_ENDPOINTS: 'http://a:1,,http://b:2' }, 'ETCD_ENDPOINTS', 'empty entry'],
    [{ ETCD_ENDPOINTS: 'http://a:1,https://b:2' }, 'ETCD_ENDPOINTS', 'mixes http:// and https://'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_TLS_CA_FILE: '/ca.pem' }, 'ETCD_ENDPOINTS', 'must use https://'],
    [{ ETCD_ENDPOINTS: 'https://a:1', ETCD_TLS_CERT_FILE: '/c.pem' }, 'ETCD_TLS_KEY_FILE', 'required when ETCD_TLS_CERT_FILE is set'],
    [{ ETCD_ENDPOINTS: 'https://a:1', ETCD_TLS_KEY_FILE: '/k.pem' }, 'ETCD_TLS_CERT_FILE', 'required when ETCD_TLS_KEY_FILE is set'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_USERNAME: 'u' }, 'ETCD_PASSWORD', 'required when ETCD_USERNAME is set'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_MAX_RECEIVE_BYTES: '4194303' }, 'ETCD_MAX_RECEIVE_BYTES', 'between 4194304 and 2147483647'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_MAX_RECEIVE_BYTES: '2147483648' }, 'ETCD_MAX_RECEIVE_BYTES', 'between 4194304 and 2147483647'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_MAX_RECEIVE_BYTES: '64MiB' }, 'ETCD_MAX_RECEIVE_BYTES', 'got "64MiB"'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PASSWORD: 'p' }, 'ETCD_USERNAME', 'required when ETCD_PASSWORD is set'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: 'ecs' }, 'ETCD_PREFIX', 'must start with "/"'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: '/ecs/' }, 'ETCD_PREFIX', 'must not end with "/"'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: '/' }, 'ETCD_PREFIX', 'must not end with "/"'],
    // The key layout's rules, not a looser copy of them: these used to pass here and fail at start.
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: '/ecs.state' }, 'ETCD_PREFIX', 'has segment "ecs.state"'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: '/a//b' }, 'ETCD_PREFIX', 'has segment ""'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_PREFIX: '/ecs state' }, 'ETCD_PREFIX', 'has segment "ecs state"'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_DIAL_TIMEOUT_MS: '5s' }, 'ETCD_DIAL_TIMEOUT_MS', 'whole number of milliseconds'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_REQUEST_TIMEOUT_MS: '0' }, 'ETCD_REQUEST_TIMEOUT_MS', 'between 1 and 600000'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_QUOTA_BACKEND_BYTES: '2GiB' }, 'ETCD_QUOTA_BACKEND_BYTES', 'whole number of bytes'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_QUOTA_BACKEND_BYTES: '0' }, 'ETCD_QUOTA_BACKEND_BYTES', 'whole number of bytes'],
    [{ ETCD_ENDPOINTS: 'http://a:1', ETCD_STATUS_INTERVAL_MS: '10s' }, 'ETCD_STATUS_INTERVAL_MS', 'whole number of milliseconds'],
  ])('rejects %j naming %s', (env, variable, message) => {
    const error = configError(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });
});

describe('createEtcdClient', () => {
  it('names the variable whose TLS file cannot be read', () => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA_FILE: '/nonexistent/ca.pem' });
    expect(() => createEtcdClient(config)).toThrow(/^ETCD_TLS_CA_FILE: cannot read "\/nonexistent\/ca.pem"/);
  });

  it('builds a client from a readable CA file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ca.pem'), rootCertificates[0] as string);
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: 'https://a:2379', ETCD_TLS_CA_FILE: join(dir, 'ca.pem') });
    expect(config.tls?.caFile).toBe(join(dir, 'ca.pem'));
    expect(() => createEtcdClient(config).close()).not.toThrow();
  });

  it('rejects TLS files that are not PEM, naming the TLS variables', () => {
    const dir = tempDir();
    for (const name of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(dir, name), 'not pem');
    const config = loadEtcdConfig({
      ETCD_ENDPOINTS: 'https://a:2379',
      ETCD_TLS_CA_FILE: join(dir, 'ca.pem'),
      ETCD_TLS_CERT_FILE: join(dir, 'cert.pem'),
      ETCD_TLS_KEY_FILE: join(dir, 'key.pem'),
    });
    expect(() => createEtcdClient(config)).toThrow(EtcdConfigError);
    expect(() => createEtcdClient(config)).toThrow(/^ETCD_TLS_CA_FILE, ETCD_TLS_CERT_FILE, ETCD_TLS_KEY_FILE: TLS files are not valid PEM/);
  });
});
