import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError, MESSAGES } from '../http/api-error';
import { DASHBOARD_PATH } from '../routes/dashboard-routes';

/** Paths a load balancer or orchestrator probes without credentials. */
const OPEN_PATHS = new Set(['/healthz', '/readyz']);

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Bearer-token check for every request. With no tokens configured reads are
 * open and POST is refused outright: a write must never be anonymous.
 */
export function bearerAuth(tokens: readonly string[], options: { publicDocs?: boolean } = {}) {
  const digests = tokens.map(digest);
  const challenge = { 'www-authenticate': 'Bearer realm="ecs-state"' };
  const valid = (header: string | undefined): boolean => {
    if (header === undefined || !header.startsWith('Bearer ')) return false;
    const given = digest(header.slice('Bearer '.length).trim());
    // Every token is compared, in constant time, so timing reveals nothing.
    let match = false;
    for (const d of digests) match = timingSafeEqual(d, given) || match;
    return match;
  };
  return async (request: FastifyRequest): Promise<void> => {
    const path = request.url.split('?', 1)[0] ?? '';
    if (OPEN_PATHS.has(path)) return;
    // The dashboard's page and script hold no data; the page asks for a token and sends it with every call.
    if (path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`)) return;
    // The OpenAPI document describes the API, not the state it serves.
    if (options.publicDocs && (path === '/docs' || path.startsWith('/docs/'))) return;
    if (digests.length === 0) {
      if (request.method === 'POST') throw new ApiError(403, MESSAGES.postDisabled);
      return;
    }
    if (!valid(request.headers.authorization)) throw new ApiError(401, MESSAGES.unauthorized, challenge);
  };
}
