import type { FastifyReply } from 'fastify';

/**
 * Errors are plain text, as Go's http.Error wrote them in the original
 * service: the message, a newline, `text/plain; charset=utf-8`, `nosniff`.
 */
export function sendTextError(reply: FastifyReply, statusCode: number, message: string, headers: Readonly<Record<string, string>> = {}): FastifyReply {
  return reply
    .code(statusCode)
    .headers(headers)
    .header('content-type', 'text/plain; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .send(`${message}\n`);
}
