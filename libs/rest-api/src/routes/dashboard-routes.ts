import type { FastifyInstance } from 'fastify';
import { contentVersion, dashboardPage, type DashboardAssets } from '../dashboard/dashboard-assets';

/** Mounted here; the page reaches the API one level up. */
export const DASHBOARD_PATH = '/ui';

/**
 * Scripts only from this origin, data only from this API; styles are set by the
 * script, hence inline styles. No framing.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * The dashboard's page and script. They hold no data and need no token (the
 * page asks for one); every API call the page makes carries it. Left out of the
 * OpenAPI document: they are not part of the API.
 */
export function registerDashboardRoutes(app: FastifyInstance, assets: DashboardAssets): void {
  const version = contentVersion(assets.script);
  const page = dashboardPage(version);
  const etag = `"${version}"`;
  const hide = { schema: { hide: true } };
  app.get(DASHBOARD_PATH, hide, async (_request, reply) => reply.code(301).header('location', `${DASHBOARD_PATH}/`).send());
  app.get(`${DASHBOARD_PATH}/`, hide, async (_request, reply) =>
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page),
  );
  app.get(`${DASHBOARD_PATH}/dashboard.js`, hide, async (request, reply) => {
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('text/javascript; charset=utf-8').send(assets.script);
  });
}
