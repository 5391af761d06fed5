import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { MESSAGES } from './api-error';

/** Node's parser errors, as the status and text a client gets (Node's own choice of status). */
function answerFor(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: MESSAGES.requestTimeout };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: MESSAGES.headersTooLarge };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, message: MESSAGES.bodyTooLarge };
    default:
      return { status: 400, message: MESSAGES.malformedRequest };
  }
}

/**
 * Answers what Node's HTTP parser rejects before any route sees it (malformed
 * request, headers over the size limit, a request not received within the
 * request timeout) in the API's plain-text error format, then closes the
 * connection. Fastify's default writes JSON; neither echoes the request.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // A response already under way on this connection cannot be followed by another one.
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && response?.headersSent !== true) {
    const { status, message } = answerFor(error.code);
    const body = `${message}\n`;
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'X-Content-Type-Options: nosniff\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
    // Closes once the answer is written.
    socket.destroySoon();
    return;
  }
  socket.destroy();
}
