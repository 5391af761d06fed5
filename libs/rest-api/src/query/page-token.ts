import { RECORD_KINDS, type RecordKind } from '@ecs-state/domain';
import { z } from 'zod';
import { ApiError, MESSAGES } from '../http/api-error';

/** Where the next page of a listing starts: opaque to clients. */
export interface PagePosition {
  readonly kind: RecordKind;
  readonly revision: number;
  readonly lastKey: string;
  readonly filter: string;
}

const tokenSchema = z.object({
  v: z.literal(1),
  k: z.enum(RECORD_KINDS as [RecordKind, ...RecordKind[]]),
  r: z.number().int().positive(),
  l: z.string().min(1).max(2048),
  f: z.string().max(64),
});

const MAX_TOKEN_LENGTH = 4096;

export function encodePageToken(position: PagePosition): string {
  return Buffer.from(JSON.stringify({ v: 1, k: position.kind, r: position.revision, l: position.lastKey, f: position.filter })).toString('base64url');
}

/** Rejects tokens that are malformed or were issued for another kind or filter set. */
export function decodePageToken(token: string, kind: RecordKind, filter: string): PagePosition {
  if (token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) throw new ApiError(400, MESSAGES.invalidNextToken);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new ApiError(400, MESSAGES.invalidNextToken);
  }
  const result = tokenSchema.safeParse(parsed);
  if (!result.success || result.data.k !== kind || result.data.f !== filter) throw new ApiError(400, MESSAGES.invalidNextToken);
  return { kind, revision: result.data.r, lastKey: result.data.l, filter };
}

export interface PageLimits {
  /** Largest `limit` accepted. */
  readonly maxLimit: number;
}

/** The page size asked for; undefined when absent: the whole list (v1 clients never send a limit). */
export function parseLimit(value: string | undefined, limits: PageLimits): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,6}$/.test(value)) throw new ApiError(400, MESSAGES.invalidLimit);
  const limit = Number(value);
  if (limit < 1 || limit > limits.maxLimit) throw new ApiError(400, MESSAGES.invalidLimit);
  return limit;
}
