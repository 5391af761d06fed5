import type { FastifyInstance } from 'fastify';
import { ApiError, MESSAGES } from './api-error';
import { RETRY_LATER } from './retry-later';

/**
 * Shutdown at the HTTP level. Once the server is closing, requests that still
 * arrive (on a kept-alive connection) answer 503 in the API's error format and
 * close their connection; this replaces Fastify's `return503OnClosing`, whose
 * body is JSON. Register before any other onRequest hook.
 *
 * Node stops enforcing the request timeout once the server closes, so a
 * connection that never completes a request (a body shorter than its
 * Content-Length, a connection that never sends one) would hold the close for
 * ever; such connections are closed one request timeout after it began.
 */
export function installShutdownGate(app: FastifyInstance, requestTimeoutMs: number): void {
  let closing = false;
  let sweep: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    closing = true;
    sweep = setTimeout(() => app.server.closeAllConnections(), requestTimeoutMs);
    sweep.unref();
  });
  app.addHook('onClose', async () => {
    clearTimeout(sweep);
  });
  // A callback hook: every request passes here, and an async one would cost each a promise.
  app.addHook('onRequest', (_request, _reply, done) => {
    done(closing ? new ApiError(503, MESSAGES.shuttingDown, { ...RETRY_LATER, connection: 'close' }) : undefined);
  });
}
