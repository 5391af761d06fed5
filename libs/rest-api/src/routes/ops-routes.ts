import type { FastifyInstance } from 'fastify';
import { READINESS_REPORT_SCHEMA_PROPERTIES, runReadinessChecks, type ReadinessCheck } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';
import { RETRY_LATER } from '../http/retry-later';
import { unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { viewProblem } from './view-readiness';

/**
 * /readyz runs the view's own check, then `checks` (e.g. etcd writable, Redis reachable). Each must
 * settle promptly even when its dependency hangs: /readyz waits for them.
 */
export function registerOpsRoutes(app: FastifyInstance, context: ApiContext, registry: Registry | undefined, checks: readonly ReadinessCheck[]): void {
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
      ...READINESS_REPORT_SCHEMA_PROPERTIES,
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
      const viewCheck: ReadinessCheck = {
        name: 'view',
        check: async () => {
          const problem = viewProblem(context.view);
          if (problem !== null) throw new Error(problem);
          return true;
        },
      };
      const report = await runReadinessChecks([viewCheck, ...checks]);
      const status = context.view.status();
      return reply.code(report.ready ? 200 : 503).headers(report.ready ? {} : RETRY_LATER).send({
        ...report,
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
