import { driftReportSchema, parseClusterRef } from '@ecs-state/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ApiError, MESSAGES } from '../http/api-error';
import { textError, unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { queryOf, strictQueryHook } from './query-hook';

const MAX_CLUSTERS = 100;
/** Runs are kept a week (at most 1000); a page of recent ones is what an operator looks at. */
const RUN_LIST_LIMITS = { default: 20, max: 100 } as const;

function runListLimit(value: string | undefined): number {
  if (value === undefined) return RUN_LIST_LIMITS.default;
  if (!/^\d{1,3}$/.test(value)) throw new ApiError(400, MESSAGES.invalidLimit);
  const limit = Number(value);
  if (limit < 1 || limit > RUN_LIST_LIMITS.max) throw new ApiError(400, MESSAGES.invalidLimit);
  return limit;
}

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output' }) as Record<string, unknown>;
  return rest;
}

const runSchema = {
  type: 'object',
  required: ['id', 'state', 'trigger', 'requestedClusters', 'requestedAt', 'startedAt', 'finishedAt', 'plannedClusters', 'report', 'error'],
  properties: {
    id: { type: 'string' },
    state: { type: 'string', enum: ['queued', 'running', 'completed', 'failed'] },
    trigger: { type: 'string' },
    requestedClusters: { anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'null' }] },
    requestedAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
    plannedClusters: { type: ['integer', 'null'] },
    report: { anyOf: [jsonSchemaOf(driftReportSchema), { type: 'null' }] },
    error: { type: ['string', 'null'] },
  },
} as const;

export function registerReconcileRoutes(app: FastifyInstance, context: ApiContext): void {
  app.post(
    '/v1/reconcile',
    {
      // `curl -X POST` sends no body: that asks for every cluster. A JSON `null` is a body, and not an object (400).
      preValidation: async (request) => {
        if (request.body === undefined) request.body = {};
      },
      schema: {
        operationId: 'StartReconcile',
        tags: ['reconcile'],
        summary: 'Request a reconcile of every cluster, or of the clusters listed',
        description: 'Needs a bearer token; refused with 403 when the server has no API_TOKENS configured.',
        security: [{ bearerAuth: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            clusters: { type: 'array', maxItems: MAX_CLUSTERS, items: { type: 'string', minLength: 1, maxLength: 1600 }, description: 'cluster names or ARNs; absent or empty: every cluster' },
          },
        },
        response: {
          202: {
            description: 'The run is queued (or an active run of the same scope absorbed the request: coalesced=true)',
            type: 'object',
            required: ['id', 'coalesced'],
            properties: { id: { type: 'string' }, coalesced: { type: 'boolean' } },
          },
          400: textError('Invalid JSON, a body that is not a JSON object (null, an array, a number, a string, or text), unknown property, or invalid cluster'),
          401: unauthorizedResponse,
          403: textError('POST is disabled: no API tokens configured'),
          408: textError('The body did not arrive within the request timeout (API_REQUEST_TIMEOUT_MS); the connection is closed'),
          413: textError('The body is larger than 64 KiB'),
          415: textError('The body is neither application/json nor text/plain, or its charset is not UTF-8'),
          500: textError('Unexpected error'),
          503: textError('Manual reconcile is not configured (REDIS_URL unset), or Redis is unavailable (with Retry-After)'),
        },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as { clusters?: string[] };
      const clusters = body.clusters ?? [];
      if (clusters.some((cluster) => !parseClusterRef(cluster).ok)) throw new ApiError(400, MESSAGES.invalidCluster);
      if (context.reconcile === undefined) throw new ApiError(503, MESSAGES.reconcileUnavailable);
      const result = await context.reconcile.enqueue(clusters.length === 0 ? undefined : clusters);
      return reply.code(202).header('location', `/v1/reconcile/${encodeURIComponent(result.id)}`).send({ id: result.id, coalesced: result.coalesced });
    },
  );

  app.get(
    '/v1/reconcile',
    {
      preValidation: strictQueryHook(['limit']),
      schema: {
        operationId: 'ListReconciles',
        tags: ['reconcile'],
        summary: 'The most recently requested reconcile runs, newest first, with their drift reports',
        description: `Queued, running and finished runs alike (finished ones are kept a week, at most 1000). \`limit\`: 1 to ${RUN_LIST_LIMITS.max}, default ${RUN_LIST_LIMITS.default}.`,
        querystring: { type: 'object', properties: { limit: { type: 'string', description: `1 to ${RUN_LIST_LIMITS.max}; default ${RUN_LIST_LIMITS.default}` } } },
        response: {
          200: {
            description: 'The runs, newest first',
            type: 'object',
            required: ['runs'],
            properties: { runs: { type: 'array', items: runSchema } },
          },
          400: textError('Invalid limit, or an unknown or repeated parameter'),
          401: unauthorizedResponse,
          500: textError('Unexpected error'),
          503: textError('Manual reconcile is not configured (REDIS_URL unset), or Redis is unavailable (with Retry-After)'),
        },
      },
    },
    async (request) => {
      const limit = runListLimit(queryOf(request)['limit']);
      if (context.reconcile === undefined) throw new ApiError(503, MESSAGES.reconcileUnavailable);
      return { runs: await context.reconcile.list(limit) };
    },
  );

  app.get(
    '/v1/reconcile/:id',
    {
      schema: {
        operationId: 'GetReconcile',
        tags: ['reconcile'],
        summary: 'State and drift report of a reconcile run',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
        response: {
          200: { description: 'The run', ...runSchema },
          400: textError('The id is longer than 64 characters'),
          401: unauthorizedResponse,
          404: textError(MESSAGES.reconcileNotFound),
          414: textError('The id is over 2048 characters'),
          500: textError('Unexpected error'),
          503: textError('Manual reconcile is not configured (REDIS_URL unset), or Redis is unavailable (with Retry-After)'),
        },
      },
    },
    async (request) => {
      if (context.reconcile === undefined) throw new ApiError(503, MESSAGES.reconcileUnavailable);
      const run = await context.reconcile.get((request.params as { id: string }).id);
      if (run === null) throw new ApiError(404, MESSAGES.reconcileNotFound);
      return run;
    },
  );
}
