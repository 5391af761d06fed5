import { createHash } from 'node:crypto';
import type { ApiEntry } from '../v1/api-record';

/** What a list request asks for, in the terms the view understands. */
export interface RecordFilter {
  /** Narrows the scan to one cluster's keys when the cluster is given by ARN. */
  readonly keyPrefix?: string;
  readonly predicate: (entry: ApiEntry) => boolean;
  /** Identifies the filter, so a page token cannot be replayed with another one. */
  readonly fingerprint: string;
}

export function buildFilter(normalized: Record<string, string | boolean>, keyPrefix: string | undefined, tests: ((entry: ApiEntry) => boolean)[]): RecordFilter {
  const canonical = JSON.stringify(Object.keys(normalized).sort().map((k) => [k, normalized[k]]));
  return {
    ...(keyPrefix === undefined ? {} : { keyPrefix }),
    predicate: (entry) => tests.every((test) => test(entry)),
    fingerprint: createHash('sha256').update(canonical).digest('base64url').slice(0, 16),
  };
}
