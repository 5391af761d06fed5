import type { FastifyRequest } from 'fastify';
import { ApiError, MESSAGES } from './api-error';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * Bodies are read as UTF-8 (JSON has no other encoding, RFC 8259). A body
 * declared in another charset would be decoded wrongly, so it is refused (415)
 * before it is parsed. A preParsing hook.
 */
export async function requireUtf8Body(request: FastifyRequest): Promise<void> {
  const { 'content-type': contentType, 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  const hasBody = chunked !== undefined || (length !== undefined && length !== '0');
  if (contentType === undefined || !hasBody) return;
  const charset = CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new ApiError(415, MESSAGES.unsupportedCharset);
}
