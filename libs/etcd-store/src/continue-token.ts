import { z } from 'zod';
import { InvalidContinueTokenError } from './errors';

/** Where the next page of a snapshot listing starts. */
export interface ContinuePosition {
  readonly prefix: string;
  readonly revision: number;
  /** The last key returned; the next page starts strictly after it. */
  readonly lastKey: string;
}

const tokenSchema = z.object({
  v: z.literal(1),
  p: z.string(),
  r: z.number().int().positive(),
  k: z.string().min(1),
});

/** Opaque to callers: base64url JSON, so it survives URLs and headers unescaped. */
export function encodeContinueToken(position: ContinuePosition): string {
  const payload: z.infer<typeof tokenSchema> = { v: 1, p: position.prefix, r: position.revision, k: position.lastKey };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeContinueToken(token: string, expectedPrefix: string): ContinuePosition {
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new InvalidContinueTokenError('not base64url');
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinueTokenError('not a token issued by this store');
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) throw new InvalidContinueTokenError('not a token issued by this store');
  const { p: prefix, r: revision, k: lastKey } = parsed.data;
  if (prefix !== expectedPrefix) throw new InvalidContinueTokenError('issued for a different listing');
  if (!lastKey.startsWith(prefix)) throw new InvalidContinueTokenError('position outside the listing');
  return { prefix, revision, lastKey };
}
