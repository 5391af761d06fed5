import { AwsError } from '../aws/aws-error';

/** ECS List* operations return at most 100 results a page, 100 by default. */
export const MAX_PAGE = 100;

export interface PageCursor {
  /** The index the listing walks, when it depends on the filters. */
  readonly key?: string;
  readonly after: number;
}

/** ListServices alone answers 10 by default; the other List* operations 100. */
export function pageSize(maxResults: number | undefined, defaultSize = MAX_PAGE): number {
  if (maxResults === undefined) return defaultSize;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MAX_PAGE) {
    throw new AwsError('InvalidParameterException', 'maxResults must be between 1 and 100.');
  }
  return maxResults;
}

export function encodeToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeToken(token: string | undefined): PageCursor | undefined {
  if (token === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'after' in parsed && typeof parsed.after === 'number') {
      const key = 'key' in parsed && typeof parsed.key === 'string' ? parsed.key : undefined;
      return key === undefined ? { after: parsed.after } : { key, after: parsed.after };
    }
  } catch {
    // fall through to the error below
  }
  throw new AwsError('InvalidParameterException', 'Invalid token');
}
