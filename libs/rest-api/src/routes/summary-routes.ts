import type { FastifyInstance } from 'fastify';
import { summarizeStore } from '../summary/cluster-summary';
import { REVISION_HEADER, revisionHeaders, textError, unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { strictQueryHook } from './query-hook';

const counts = { type: 'object', additionalProperties: { type: 'integer' } } as const;

const clusterSchema = {
  type: 'object',
  required: ['name', 'arn', 'instances', 'tasks', 'services'],
  properties: {
    name: { type: 'string' },
    arn: { type: 'string' },
    instances: {
      type: 'object',
      required: ['total', 'byStatus', 'agentConnected', 'agentDisconnected'],
      properties: {
        total: { type: 'integer' },
        byStatus: { ...counts, description: 'status → count' },
        agentConnected: { type: 'integer' },
        agentDisconnected: { type: 'integer', description: 'agentConnected false or unknown' },
      },
    },
    tasks: {
      type: 'object',
      required: ['total', 'byLastStatus', 'byLaunchType'],
      properties: {
        total: { type: 'integer' },
        byLastStatus: { ...counts, description: 'lastStatus → count' },
        byLaunchType: { type: 'object', additionalProperties: counts, description: 'launch type (EC2 when the record has none) → lastStatus → count' },
      },
    },
    services: {
      type: 'object',
      required: ['total', 'byStatus', 'byRolloutState'],
      properties: {
        total: { type: 'integer' },
        byStatus: { ...counts, description: 'status → count (a service known only from its events has none yet)' },
        byRolloutState: { ...counts, description: 'rollout state of the PRIMARY deployment → count (services without one are not counted)' },
      },
    },
  },
} as const;

/** Counts per cluster, so that an overview needs no records (the dashboard's Clusters view). */
export function registerSummaryRoutes(app: FastifyInstance, context: ApiContext): void {
  app.get(
    '/v1/summary',
    {
      preValidation: strictQueryHook([]),
      schema: {
        operationId: 'GetSummary',
        tags: ['summary'],
        summary: 'Instance, task and service counts per cluster, at one store revision',
        description:
          'Per cluster ARN: container instances by status and agent connection, tasks by lastStatus and by launch type and lastStatus, ' +
          'services by status and by the rollout state of their PRIMARY deployment. ' +
          'Counted from the in-memory view on each request; `revision` (also in x-store-revision) is the revision the counts reflect, ' +
          'so a client can follow with a stream after it.',
        response: {
          200: {
            description: 'The counts',
            headers: revisionHeaders,
            type: 'object',
            required: ['revision', 'clusters'],
            properties: { revision: { type: 'string' }, clusters: { type: 'array', items: clusterSchema } },
          },
          400: textError('A query parameter (this route takes none)'),
          401: unauthorizedResponse,
          500: textError('Unexpected error'),
          503: textError('The state view is not in sync yet'),
        },
      },
    },
    async (_request, reply) => {
      const summary = summarizeStore(context.view);
      return reply.header(REVISION_HEADER, String(summary.revision)).send({ revision: String(summary.revision), clusters: summary.clusters });
    },
  );
}
