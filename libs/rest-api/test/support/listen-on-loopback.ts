import type { FastifyInstance } from 'fastify';

/** Listens on a free loopback port; resolves to the server's base URL (`http://127.0.0.1:<port>`). */
export function listenOnLoopback(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}
