import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MESSAGES } from './api-error';
import { sendTextError } from './send-text-error';

/** Longest path parameter the router accepts (ARNs are long); longer ones answer 414. */
export const MAX_PARAM_LENGTH = 2048;

/**
 * Our texts for the errors Fastify raises itself. Several of Fastify's own
 * messages quote the request (the URL, a header); these never do, so nothing
 * a client sent is reflected back.
 */
const FRAMEWORK_MESSAGES: Readonly<Record<string, string>> = {
  FST_ERR_BAD_URL: MESSAGES.badUrl,
  FST_ERR_MAX_PARAM_LENGTH: MESSAGES.pathTooLong,
  FST_ERR_CTP_BODY_TOO_LARGE: MESSAGES.bodyTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: MESSAGES.unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: MESSAGES.bodyLengthMismatch,
  FST_ERR_CTP_EMPTY_JSON_BODY: MESSAGES.emptyJsonBody,
  FST_ERR_CTP_INVALID_JSON_BODY: MESSAGES.invalidJson,
};

/** Status and text of a client error (4xx) Fastify raised; null for anything else. */
export function frameworkClientError(error: FastifyError): { status: number; message: string } | null {
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500 || !error.code?.startsWith('FST_')) return null;
  return { status, message: FRAMEWORK_MESSAGES[error.code] ?? STATUS_CODES[status] ?? 'Bad request' };
}

/**
 * Fastify's `frameworkErrors` hook: errors found while routing (malformed
 * percent-encoding, an over-long path parameter), before any route or error
 * handler runs.
 */
export function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const known = frameworkClientError(error);
  void sendTextError(reply, known?.status ?? 500, known?.message ?? MESSAGES.internal);
}
