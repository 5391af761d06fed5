import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { RETRY_LATER } from '../http/retry-later';
import { unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { viewProblem } from './view-readiness';

/**
 * An extra readiness condition (e.g. Redis reachable); resolves to a problem, or null when fine.
 * It must settle promptly even when its dependency hangs: /readyz waits for it.
 */
export type ReadinessCheck = () => Promise<string | null>;

export function registerOpsRoutes(app: FastifyInstance, context: ApiContext, registry: Registry | undefined, checks: Readonly<Record<string, ReadinessCheck>>): void {
  app.get(
    '/healthz',
    {
      schema: {
        operationId: 'GetHealth',
        tags: ['ops'],
        summary: 'Liveness: the process answers',
        // Load balancers and orchestrators probe without credentials.
        security: [],
        response: { 200: { type: 'object', properties: { status: { type: 'string' } } } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  const readySchema = {
    type: 'object',
    properties: {
      ready: { type: 'boolean' },
      problems: { type: 'array', items: { type: 'string' } },
      view: {
        type: 'object',
        properties: {
          revision: { type: 'integer' },
          inSync: { type: 'boolean' },
          etcdReachable: { type: 'boolean' },
          stalenessMs: { type: ['number', 'null'] },
          tasks: { type: 'integer' },
          instances: { type: 'integer' },
          subscribers: { type: 'integer' },
          streamClients: { type: 'integer' },
        },
      },
    },
  } as const;
  app.get(
    '/readyz',
    {
      schema: {
        operationId: 'GetReadiness',
        tags: ['ops'],
        summary: 'Readiness: the view is loaded, etcd is reachable and the view is within its staleness bound',
        security: [],
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const status = context.view.status();
      const problems: string[] = [];
      const viewNotReady = viewProblem(context.view);
      if (viewNotReady !== null) problems.push(viewNotReady);
      for (const [name, check] of Object.entries(checks)) {
        const problem = await check().catch(() => 'unavailable');
        if (problem !== null) problems.push(`${name}: ${problem}`);
      }
      return reply.code(problems.length === 0 ? 200 : 503).headers(problems.length === 0 ? {} : RETRY_LATER).send({
        ready: problems.length === 0,
        problems,
        view: {
          revision: status.revision,
          inSync: status.inSync,
          etcdReachable: status.etcdReachable,
          stalenessMs: Number.isFinite(status.stalenessMs) ? status.stalenessMs : null,
          tasks: status.tasks,
          instances: status.instances,
          subscribers: status.subscribers,
          streamClients: context.streams.size,
        },
      });
    },
  );

  if (registry !== undefined) {
    app.get(
      '/metrics',
      {
        schema: {
          operationId: 'GetMetrics',
          tags: ['ops'],
          summary: 'Prometheus metrics',
          response: { 200: { content: { 'text/plain': { schema: { type: 'string' } } } }, 401: unauthorizedResponse },
        },
      },
      async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    );
  }
}
