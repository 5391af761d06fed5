import { DEFAULT_KEY_PREFIX, parseKeyPrefix, type KeyPrefix } from '@ecs-state/domain';
import { EtcdConfigError } from './etcd-config-error';

export interface EtcdTlsConfig {
  /** CA bundle to verify the server; system roots when absent. */
  readonly caFile?: string;
  /** Client certificate and key for mutual TLS; both or neither. */
  readonly certFile?: string;
  readonly keyFile?: string;
  /**
   * The same as PEM text, from ETCD_TLS_CA / _CERT / _KEY: what ECS puts in the environment
   * from Secrets Manager. Each item comes from a file or from text, never both.
   */
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
}

export interface EtcdConfig {
  readonly endpoints: readonly string[];
  readonly tls?: EtcdTlsConfig;
  readonly auth?: { readonly username: string; readonly password: string };
  /** Root of every key this service writes, e.g. `/ecs-state`: checked here once, with the key layout's rules. */
  readonly prefix: KeyPrefix;
  readonly dialTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** etcd's `--quota-backend-bytes`, which etcd does not report: exported beside the database size. */
  readonly quotaBackendBytes: number;
  /** How often each service reads etcd's maintenance status (database size, alarms). */
  readonly statusIntervalMs: number;
  /**
   * Largest etcd response the client accepts (gRPC's receive limit). Above
   * gRPC's 4 MiB default so that a snapshot reads large pages: etcd counts every
   * key to the end of the range on each limited read, so fewer pages cost it less.
   */
  readonly maxReceiveBytes: number;
}

export const ETCD_ENV = {
  endpoints: 'ETCD_ENDPOINTS',
  tlsCaFile: 'ETCD_TLS_CA_FILE',
  tlsCertFile: 'ETCD_TLS_CERT_FILE',
  tlsKeyFile: 'ETCD_TLS_KEY_FILE',
  tlsCa: 'ETCD_TLS_CA',
  tlsCert: 'ETCD_TLS_CERT',
  tlsKey: 'ETCD_TLS_KEY',
  username: 'ETCD_USERNAME',
  password: 'ETCD_PASSWORD',
  prefix: 'ETCD_PREFIX',
  dialTimeoutMs: 'ETCD_DIAL_TIMEOUT_MS',
  requestTimeoutMs: 'ETCD_REQUEST_TIMEOUT_MS',
  quotaBackendBytes: 'ETCD_QUOTA_BACKEND_BYTES',
  statusIntervalMs: 'ETCD_STATUS_INTERVAL_MS',
  maxReceiveBytes: 'ETCD_MAX_RECEIVE_BYTES',
} as const;

export const ETCD_DEFAULTS = {
  prefix: DEFAULT_KEY_PREFIX,
  dialTimeoutMs: 5000,
  requestTimeoutMs: 10000,
  /** etcd's own default quota, 2 GiB. */
  quotaBackendBytes: 2 * 1024 ** 3,
  statusIntervalMs: 10000,
  maxReceiveBytes: 64 * 1024 ** 2,
} as const;

/** gRPC's own default receive limit: below it, reads that work with any client would fail. */
export const MIN_RECEIVE_BYTES = 4 * 1024 ** 2;
/** The largest a gRPC message length can be (a signed 32-bit length). */
const MAX_RECEIVE_BYTES = 2 ** 31 - 1;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the etcd settings; throws EtcdConfigError naming the variable. */
export function loadEtcdConfig(env: Env = process.env): EtcdConfig {
  const endpoints = parseEndpoints(env);
  const tls = parseTls(env);
  const secure = endpoints[0]?.startsWith('https:') ?? false;
  if (tls && !secure) {
    throw new EtcdConfigError(ETCD_ENV.endpoints, 'TLS files are set, so every endpoint must use https://');
  }
  const auth = parseAuth(env);
  return {
    endpoints,
    ...(tls ? { tls } : {}),
    ...(auth ? { auth } : {}),
    prefix: parsePrefix(env),
    dialTimeoutMs: parseMillis(env, ETCD_ENV.dialTimeoutMs, ETCD_DEFAULTS.dialTimeoutMs),
    requestTimeoutMs: parseMillis(env, ETCD_ENV.requestTimeoutMs, ETCD_DEFAULTS.requestTimeoutMs),
    quotaBackendBytes: parseQuota(env),
    statusIntervalMs: parseMillis(env, ETCD_ENV.statusIntervalMs, ETCD_DEFAULTS.statusIntervalMs),
    maxReceiveBytes: parseReceiveBytes(env),
  };
}

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parseEndpoints(env: Env): string[] {
  const name = ETCD_ENV.endpoints;
  const raw = present(env, name);
  if (raw === undefined) throw new EtcdConfigError(name, 'is required (comma-separated URLs like http://127.0.0.1:2379)');
  const endpoints = raw.split(',').map((part) => part.trim());
  const normalized = endpoints.map((endpoint) => {
    if (endpoint === '') throw new EtcdConfigError(name, 'contains an empty entry');
    const match = /^(https?):\/\/([^/?#@\s]+):(\d+)\/?$/.exec(endpoint);
    if (!match) throw new EtcdConfigError(name, `"${endpoint}" is not of the form http(s)://host:port`);
    const port = Number(match[3]);
    if (port < 1 || port > 65535) throw new EtcdConfigError(name, `"${endpoint}" has an invalid port`);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new EtcdConfigError(name, `"${endpoint}" has an invalid host`);
    }
    return `${url.protocol}//${url.host}`;
  });
  const schemes = new Set(normalized.map((e) => new URL(e).protocol));
  if (schemes.size > 1) throw new EtcdConfigError(name, 'mixes http:// and https:// endpoints');
  return normalized;
}

function parseTls(env: Env): EtcdTlsConfig | undefined {
  const caFile = present(env, ETCD_ENV.tlsCaFile);
  const certFile = present(env, ETCD_ENV.tlsCertFile);
  const keyFile = present(env, ETCD_ENV.tlsKeyFile);
  const caPem = pemText(env, ETCD_ENV.tlsCa, ETCD_ENV.tlsCaFile, caFile);
  const certPem = pemText(env, ETCD_ENV.tlsCert, ETCD_ENV.tlsCertFile, certFile);
  const keyPem = pemText(env, ETCD_ENV.tlsKey, ETCD_ENV.tlsKeyFile, keyFile);
  const hasCert = certFile !== undefined || certPem !== undefined;
  const hasKey = keyFile !== undefined || keyPem !== undefined;
  // The missing half is named in the form of the half that is given (file or text).
  if (hasCert && !hasKey) {
    const [given, missing] = certPem === undefined ? [ETCD_ENV.tlsCertFile, ETCD_ENV.tlsKeyFile] : [ETCD_ENV.tlsCert, ETCD_ENV.tlsKey];
    throw new EtcdConfigError(missing, `is required when ${given} is set`);
  }
  if (hasKey && !hasCert) {
    const [given, missing] = keyPem === undefined ? [ETCD_ENV.tlsKeyFile, ETCD_ENV.tlsCertFile] : [ETCD_ENV.tlsKey, ETCD_ENV.tlsCert];
    throw new EtcdConfigError(missing, `is required when ${given} is set`);
  }
  if (caFile === undefined && caPem === undefined && !hasCert) return undefined;
  return {
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile } : {}),
    ...(keyFile ? { keyFile } : {}),
    ...(caPem ? { caPem } : {}),
    ...(certPem ? { certPem } : {}),
    ...(keyPem ? { keyPem } : {}),
  };
}

/** PEM text from `name`, which must not be set together with its file variable. */
function pemText(env: Env, name: string, fileName: string, file: string | undefined): string | undefined {
  const text = present(env, name);
  if (text === undefined) return undefined;
  if (file !== undefined) throw new EtcdConfigError(name, `and ${fileName} are both set; set one of them`);
  if (!/-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/.test(text)) {
    throw new EtcdConfigError(name, 'must be PEM text (-----BEGIN …----- … -----END …-----)');
  }
  return text;
}

function parseAuth(env: Env): { username: string; password: string } | undefined {
  const username = present(env, ETCD_ENV.username);
  // Passwords are taken verbatim: surrounding spaces may be part of them.
  const password = env[ETCD_ENV.password] === '' ? undefined : env[ETCD_ENV.password];
  if (username !== undefined && password === undefined) {
    throw new EtcdConfigError(ETCD_ENV.password, `is required when ${ETCD_ENV.username} is set`);
  }
  if (password !== undefined && username === undefined) {
    throw new EtcdConfigError(ETCD_ENV.username, `is required when ${ETCD_ENV.password} is set`);
  }
  return username === undefined || password === undefined ? undefined : { username, password };
}

function parsePrefix(env: Env): KeyPrefix {
  const name = ETCD_ENV.prefix;
  const prefix = parseKeyPrefix(present(env, name) ?? ETCD_DEFAULTS.prefix);
  if (!prefix.ok) throw new EtcdConfigError(name, prefix.message);
  return prefix.value;
}

function parseMillis(env: Env, name: string, fallback: number): number {
  const raw = present(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 600_000) {
    throw new EtcdConfigError(name, `must be a whole number of milliseconds between 1 and 600000, got "${raw}"`);
  }
  return Number(raw);
}

/** etcd accepts any positive quota and warns above 8 GiB; the upper bound only catches typos. */
function parseQuota(env: Env): number {
  const name = ETCD_ENV.quotaBackendBytes;
  const raw = present(env, name);
  if (raw === undefined) return ETCD_DEFAULTS.quotaBackendBytes;
  const max = 64 * 1024 ** 3;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new EtcdConfigError(name, `must be a whole number of bytes between 1 and ${max} (etcd's --quota-backend-bytes), got "${raw}"`);
  }
  return Number(raw);
}

function parseReceiveBytes(env: Env): number {
  const name = ETCD_ENV.maxReceiveBytes;
  const raw = present(env, name);
  if (raw === undefined) return ETCD_DEFAULTS.maxReceiveBytes;
  if (!/^\d+$/.test(raw) || Number(raw) < MIN_RECEIVE_BYTES || Number(raw) > MAX_RECEIVE_BYTES) {
    throw new EtcdConfigError(name, `must be a whole number of bytes between ${MIN_RECEIVE_BYTES} and ${MAX_RECEIVE_BYTES}, got "${raw}"`);
  }
  return Number(raw);
}
