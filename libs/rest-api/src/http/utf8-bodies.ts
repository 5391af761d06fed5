import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify';
import { ApiError, MESSAGES } from './api-error';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * Bodies are read as UTF-8 (JSON has no other encoding, RFC 8259). A body
 * declared in another charset would be decoded wrongly, so it is refused (415)
 * before it is parsed. A preParsing hook, in callback form: it runs for every
 * request, and an async one would cost each a promise.
 */
export function requireUtf8Body(request: FastifyRequest, _reply: FastifyReply, payload: RequestPayload, done: (error: Error | null, payload?: RequestPayload) => void): void {
  const { 'content-type': contentType, 'content-length': length, 'transfer-encoding': chunked } = request.headers;
  const hasBody = chunked !== undefined || (length !== undefined && length !== '0');
  const charset = contentType === undefined || !hasBody ? undefined : CHARSET.exec(contentType)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') done(new ApiError(415, MESSAGES.unsupportedCharset));
  else done(null, payload);
}
