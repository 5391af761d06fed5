import { randomUUID } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import type { RecordCodec } from '../../src';

export interface TestRecord {
  readonly key: string;
  readonly version: number;
  readonly payload?: string;
}

export const testCodec: RecordCodec<TestRecord> = {
  keyOf: (r) => r.key,
  versionOf: (r) => r.version,
  encode: (r) => JSON.stringify({ key: r.key, version: r.version, payload: r.payload ?? null }),
  decode: (key, bytes) => {
    const parsed = JSON.parse(bytes.toString('utf8')) as { key: string; version: number; payload: string | null };
    if (parsed.key !== key) throw new Error(`record for ${parsed.key} stored under ${key}`);
    return parsed.payload === null ? { key, version: parsed.version } : { key, version: parsed.version, payload: parsed.payload };
  },
};

/** A prefix no other test (or test run) shares. */
export function uniquePrefix(name: string): string {
  return `/test-etcd-store/${name}/${randomUUID()}`;
}

export function sharedEndpoint(): string {
  const endpoints = process.env['TEST_ETCD_ENDPOINTS'];
  if (!endpoints) throw new Error('TEST_ETCD_ENDPOINTS is not set; run through the etcd-store jest config');
  return endpoints;
}

export function newClient(endpoint: string = sharedEndpoint()): Etcd3 {
  return new Etcd3({ hosts: endpoint.split(','), dialTimeout: 3000 });
}

export function rec(key: string, version: number, payload?: string): TestRecord {
  return payload === undefined ? { key, version } : { key, version, payload };
}
