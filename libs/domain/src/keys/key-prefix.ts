import { fail, ok } from '../result/result';
import type { Result } from '../result/result';
import { quote } from '../text/quote';

declare const keyPrefixBrand: unique symbol;

/** A validated store key prefix: `/seg[/seg…]`, obtained from `parseKeyPrefix`. */
export type KeyPrefix = string & { readonly [keyPrefixBrand]: true };

export type KeyPrefixRejectReason = 'invalid_key_prefix';

const MAX_KEY_PREFIX_LENGTH = 128;
// No '.', so '.' and '..' segments cannot occur; no '%', so nothing decodes differently.
const SEGMENT = /^[A-Za-z0-9_-]+$/;

export function parseKeyPrefix(value: string): Result<KeyPrefix, KeyPrefixRejectReason> {
  if (value.length > MAX_KEY_PREFIX_LENGTH) {
    return fail('invalid_key_prefix', `key prefix is longer than ${MAX_KEY_PREFIX_LENGTH} characters`);
  }
  if (!value.startsWith('/')) {
    return fail('invalid_key_prefix', `key prefix ${quote(value)} must start with "/"`);
  }
  if (value.endsWith('/')) {
    return fail('invalid_key_prefix', `key prefix ${quote(value)} must not end with "/"`);
  }
  const segments = value.slice(1).split('/');
  const bad = segments.find((segment) => !SEGMENT.test(segment));
  if (bad !== undefined) {
    return fail('invalid_key_prefix', `key prefix ${quote(value)} has segment ${quote(bad)}; segments are letters, digits, '-' or '_'`);
  }
  return ok(value as KeyPrefix);
}

export const DEFAULT_KEY_PREFIX = '/ecs-state' as KeyPrefix;
