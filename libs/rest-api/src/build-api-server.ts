import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { KeyPrefix } from '@ecs-state/domain';
import type { ReadinessCheck } from '@ecs-state/service-runtime';
import { ViewNotReadyError } from '@ecs-state/state-view';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { bearerAuth } from './auth/bearer-auth';
import type { DashboardAssets } from './dashboard/dashboard-assets';
import { ApiError, MESSAGES } from './http/api-error';
import { clientErrorHandler } from './http/client-error-handler';
import { dependencyUnavailable } from './http/dependency-errors';
import { frameworkClientError, MAX_PARAM_LENGTH, onFrameworkError } from './http/framework-errors';
import { ResponseBufferPool } from './http/response-buffer-pool';
import { RETRY_LATER } from './http/retry-later';
import { sendTextError } from './http/send-text-error';
import { installShutdownGate } from './http/shutdown-gate';
import { requireUtf8Body } from './http/utf8-bodies';
import { registerApiMetrics } from './metrics/api-metrics';
import type { PageLimits } from './query/page-token';
import type { ReconcileService } from './reconcile/reconcile-service';
import type { ApiContext } from './routes/api-context';
import { registerDashboardRoutes } from './routes/dashboard-routes';
import { registerOpsRoutes } from './routes/ops-routes';
import { registerReconcileRoutes } from './routes/reconcile-routes';
import { registerRecordRoutes } from './routes/record-routes';
import { registerStreamRoutes } from './routes/stream-routes';
import { registerSummaryRoutes } from './routes/summary-routes';
import { StreamRegistry } from './streams/stream-registry';
import type { ListBodyWriter } from './v1/list-body-writer';
import type { ApiView } from './v1/api-record';
import { SHARED_SCHEMAS } from './v1/schemas';
import { LIST_STALL_TIMEOUT_MS } from './v1/list-body-writer';

/** Where request logs go; a winston logger fits. */
export interface ApiLogger {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface ApiServerOptions {
  /** A view built with `project: projectApiRecord`. */
  readonly view: ApiView;
  /** Bearer tokens; empty: reads are open and POST is refused. */
  readonly tokens?: readonly string[];
  /** Serve /docs and /docs/json without a token even when tokens are configured. */
  readonly publicDocs?: boolean;
  /**
   * The URL clients reach this API at, without a trailing slash, for the
   * OpenAPI document's `servers`. Absent: `/`, the origin that served the
   * document, which is right unless a proxy serves the API under a path prefix.
   */
  readonly publicUrl?: string;
  /** The web dashboard served under /ui; absent: no dashboard. */
  readonly dashboard?: DashboardAssets;
  /** Manual reconcile; absent: the reconcile routes answer 503. */
  readonly reconcile?: ReconcileService;
  readonly metrics?: Registry;
  readonly readinessChecks?: readonly ReadinessCheck[];
  readonly logger?: ApiLogger;
  readonly pageLimits?: Partial<PageLimits>;
  readonly stream?: { readonly heartbeatMs?: number; readonly maxBufferedBytes?: number; readonly maxClients?: number };
  /**
   * Time a client has to send a whole request, headers and body; then it is
   * answered 408 and its connection closed. Responses are not limited by it,
   * so streams stay open.
   */
  readonly requestTimeoutMs?: number;
  /** How long a whole list (no `limit`) may wait on a client that reads nothing before it is cut off. */
  readonly listStallTimeoutMs?: number;
}

export const API_DEFAULTS = {
  maxLimit: 10_000,
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  maxStreamClients: 10_000,
  requestTimeoutMs: 30_000,
  listStallTimeoutMs: LIST_STALL_TIMEOUT_MS,
} as const;

/**
 * The REST API on a fresh Fastify instance: v1 routes, streams, manual
 * reconcile, health/readiness/metrics and the OpenAPI document. The caller
 * listens and closes; closing ends every stream with a final message first.
 */
export async function buildApiServer(options: ApiServerOptions): Promise<FastifyInstance> {
  const requestTimeoutMs = options.requestTimeoutMs ?? API_DEFAULTS.requestTimeoutMs;
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1) throw new RangeError(`request timeout ${requestTimeoutMs} must be a positive integer`);
  const app = Fastify({
    logger: false,
    // ARNs in paths are long; the default (100) would cut them off.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
    // Fastify's own 503 while closing is JSON; installShutdownGate answers in our format.
    return503OnClosing: false,
    // A body that never arrives in full must not hold a connection for ever. Node checks
    // every connectionsCheckingInterval (30 s by default), hence at most 1 s here.
    requestTimeout: requestTimeoutMs,
    http: { requestTimeout: requestTimeoutMs, headersTimeout: Math.min(60_000, requestTimeoutMs), connectionsCheckingInterval: Math.min(1000, requestTimeoutMs) },
    frameworkErrors: onFrameworkError,
    clientErrorHandler,
  });
  const logger = options.logger;
  const streams = new StreamRegistry({
    heartbeatMs: options.stream?.heartbeatMs ?? API_DEFAULTS.heartbeatMs,
    maxClients: options.stream?.maxClients ?? API_DEFAULTS.maxStreamClients,
  });
  const listBodies = new Set<ListBodyWriter>();
  const metrics =
    options.metrics === undefined ? undefined : registerApiMetrics(options.metrics, options.view, { streamClients: () => streams.size, listBodies: () => listBodies.size });
  const pageLimits: PageLimits = { maxLimit: options.pageLimits?.maxLimit ?? API_DEFAULTS.maxLimit };
  if (pageLimits.maxLimit < 1) throw new RangeError(`largest page size ${pageLimits.maxLimit} must be at least 1`);
  const context: ApiContext = {
    view: options.view,
    prefix: options.view.keyPrefix as KeyPrefix,
    pageLimits,
    streams,
    streamBufferBytes: options.stream?.maxBufferedBytes ?? API_DEFAULTS.maxBufferedBytes,
    responseBuffers: new ResponseBufferPool(),
    listBodies,
    listStallTimeoutMs: options.listStallTimeoutMs ?? API_DEFAULTS.listStallTimeoutMs,
    streamMetrics: metrics?.streams,
    reconcile: options.reconcile,
  };

  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'ECS cluster state service',
        version: '1.0.0',
        description: 'Current state of Amazon ECS tasks and container instances. /v1 is compatible with the Blox cluster-state-service v1 API.',
      },
      servers: [{ url: options.publicUrl ?? '/' }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  installShutdownGate(app, requestTimeoutMs);
  app.addHook('onRequest', bearerAuth(options.tokens ?? [], { publicDocs: options.publicDocs ?? false }));
  if (metrics !== undefined) {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  }
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 500) logger?.warn('request failed', { method: request.method, url: request.url, status: reply.statusCode });
  });
  app.addHook('preParsing', requireUtf8Body);
  // Streams hold their connections open; end them before the server waits for connections to close.
  app.addHook('preClose', async () => {
    streams.endAll('server_shutdown');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ApiError) return sendTextError(reply, error.statusCode, error.message, error.headers);
    if (error instanceof ViewNotReadyError) return sendTextError(reply, 503, MESSAGES.notReady, RETRY_LATER);
    const unavailable = dependencyUnavailable(error);
    if (unavailable !== undefined) {
      logger?.warn('dependency unavailable', { method: request.method, url: request.url, error: error.message });
      return sendTextError(reply, unavailable.statusCode, unavailable.message, unavailable.headers);
    }
    if (error.validation) return sendTextError(reply, 400, `Invalid request: ${error.message}`);
    const framework = frameworkClientError(error);
    if (framework !== null) return sendTextError(reply, framework.status, framework.message);
    logger?.error('unexpected error', { method: request.method, url: request.url, error: error.message, stack: error.stack });
    return sendTextError(reply, 500, MESSAGES.internal);
  });
  app.setNotFoundHandler((_request, reply) => sendTextError(reply, 404, MESSAGES.notFound));

  registerRecordRoutes(app, context);
  registerStreamRoutes(app, context);
  registerSummaryRoutes(app, context);
  registerReconcileRoutes(app, context);
  registerOpsRoutes(app, context, options.metrics, options.readinessChecks ?? []);
  if (options.dashboard !== undefined) registerDashboardRoutes(app, options.dashboard);
  return app;
}
