import type { KeyPrefix, RecordKind } from '@ecs-state/domain';
import {
  instanceKey,
  parseContainerInstanceArn,
  parseTaskArn,
  taskKey,
} from '@ecs-state/domain';
import { clusterArnFor } from '../query/resource-cluster';
import { serviceKeys } from '../query/service-ref';
import { serviceFilter, SERVICE_FILTER_PARAMS } from '../query/service-query';
import { RevisionUnavailableError, type ListResult } from '@ecs-state/state-view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, MESSAGES } from '../http/api-error';
import { namedClusterPrefix } from '../query/cluster-param';
import { instanceFilter, INSTANCE_FILTER_PARAMS } from '../query/instance-query';
import { decodePageToken, encodePageToken, parseLimit } from '../query/page-token';
import type { RecordFilter } from '../query/record-filter';
import { taskFilter, TASK_FILTER_PARAMS } from '../query/task-query';
import type { ApiRecord } from '../v1/api-record';
import { itemBytes, partsByteLength, pushItem, writeParts, type BodyPart } from '../v1/item-bytes';
import { ListBodyWriter, listBodyLength } from '../v1/list-body-writer';
import { V1_OPERATION_IDS } from '../v1/operation-ids';
import { REVISION_HEADER, revisionHeaders, textError, unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { queryOf, strictQueryHook } from './query-hook';

const PAGE_PARAMS = ['limit', 'nextToken'] as const;

interface KindRoutes {
  readonly kind: RecordKind;
  readonly path: string;
  readonly tag: string;
  /** The get's OpenAPI texts: its summary, its id parameter, its 400. */
  readonly getDocs: { readonly summary: string; readonly id: string; readonly invalid: string };
  /** The get's last path parameter. */
  readonly idParam: string;
  readonly filterParams: readonly string[];
  readonly filterDocs: Record<string, string>;
  readonly listSchema: string;
  readonly itemSchema: string;
  readonly notFound: string;
  readonly invalidArn: string;
  readonly buildFilter: (prefix: KeyPrefix, params: Readonly<Record<string, string>>) => RecordFilter;
  /** The keys `{cluster}/{id}` may designate (several only for a cluster name the view knows in several accounts or regions). */
  readonly keysOf: (context: ApiContext, cluster: string, id: string) => readonly string[];
}

const ARN_DOC = 'ARN, URL-encoded (old or new format, any partition)';

const TASKS: KindRoutes = {
  kind: 'task',
  path: '/v1/tasks',
  tag: 'tasks',
  getDocs: { summary: 'Get one task by cluster and ARN', id: ARN_DOC, invalid: 'Invalid cluster or ARN' },
  idParam: 'arn',
  filterParams: TASK_FILTER_PARAMS,
  filterDocs: {
    status: 'lastStatus, case-insensitive (pending, running, stopped, or any other ECS task status)',
    cluster: 'cluster name (any account/region) or cluster ARN',
    startedBy: 'exact startedBy',
    family: 'task definition family',
    containerInstance: 'container instance ARN (either format) or id',
    launchType: 'EC2, FARGATE or EXTERNAL, case-insensitive',
    group: 'exact group, e.g. service:web',
    desiredStatus: 'desiredStatus, case-insensitive',
    service: 'service name: the tasks ECS started for that service (group service:<name>)',
  },
  listSchema: 'Tasks#',
  itemSchema: 'Task#',
  notFound: MESSAGES.taskNotFound,
  invalidArn: MESSAGES.invalidTaskArn,
  buildFilter: taskFilter,
  keysOf({ prefix }, cluster, arn) {
    const task = parseTaskArn(arn);
    if (!task.ok) throw new ApiError(400, MESSAGES.invalidTaskArn);
    const clusterArn = clusterArnFor(cluster, task.value);
    if (clusterArn === null) return [];
    const key = taskKey(prefix, { taskArn: arn, clusterArn });
    return key.ok ? [key.value] : [];
  },
};

const INSTANCES: KindRoutes = {
  kind: 'instance',
  path: '/v1/instances',
  tag: 'instances',
  getDocs: { summary: 'Get one container instance by cluster and ARN', id: ARN_DOC, invalid: 'Invalid cluster or ARN' },
  idParam: 'arn',
  filterParams: INSTANCE_FILTER_PARAMS,
  filterDocs: {
    status: 'status, case-insensitive (active, inactive, draining, …)',
    cluster: 'cluster name (any account/region) or cluster ARN',
    agentConnected: 'true or false',
    attribute: 'attribute name, or name=value',
  },
  listSchema: 'ContainerInstances#',
  itemSchema: 'ContainerInstance#',
  notFound: MESSAGES.instanceNotFound,
  invalidArn: MESSAGES.invalidInstanceArn,
  buildFilter: instanceFilter,
  keysOf({ prefix }, cluster, arn) {
    const instance = parseContainerInstanceArn(arn);
    if (!instance.ok) throw new ApiError(400, MESSAGES.invalidInstanceArn);
    const clusterArn = clusterArnFor(cluster, instance.value);
    if (clusterArn === null) return [];
    const key = instanceKey(prefix, { containerInstanceArn: arn, clusterArn });
    return key.ok ? [key.value] : [];
  },
};

const SERVICES: KindRoutes = {
  kind: 'service',
  path: '/v1/services',
  tag: 'services',
  getDocs: {
    summary: 'Get one service, with its deployments and last events, by cluster and name or ARN',
    id: 'service name, or service ARN URL-encoded (old or new format, any partition)',
    invalid: 'Invalid cluster, service name or ARN',
  },
  idParam: 'service',
  filterParams: SERVICE_FILTER_PARAMS,
  filterDocs: {
    cluster: 'cluster name (any account/region) or cluster ARN',
    status: 'status, case-insensitive (active, draining, inactive)',
    launchType: 'EC2, FARGATE or EXTERNAL, case-insensitive (a service with a capacity provider strategy has none)',
    rolloutState: 'rollout state of the PRIMARY deployment, case-insensitive (in_progress, completed, failed)',
  },
  listSchema: 'Services#',
  itemSchema: 'Service#',
  notFound: MESSAGES.serviceNotFound,
  invalidArn: MESSAGES.invalidService,
  buildFilter: serviceFilter,
  keysOf: (context, cluster, service) => serviceKeys(context.prefix, cluster, service, (name) => context.view.clusterArnsNamed(name)),
};

export function registerRecordRoutes(app: FastifyInstance, context: ApiContext): void {
  for (const routes of [TASKS, INSTANCES, SERVICES]) registerKind(app, context, routes);
}

function registerKind(app: FastifyInstance, context: ApiContext, routes: KindRoutes): void {
  const allowed = [...routes.filterParams, ...PAGE_PARAMS];
  const querystring = {
    type: 'object',
    properties: {
      ...Object.fromEntries(Object.entries(routes.filterDocs).map(([name, description]) => [name, { type: 'string', description, maxLength: 1600 }])),
      limit: {
        type: 'string',
        description: `page size, 1..${context.pageLimits.maxLimit}; without it the response holds every matching item (no nextToken), as v1 clients expect`,
      },
      nextToken: { type: 'string', description: 'from the previous page; every page is read at the first page\'s revision', maxLength: 4096 },
    },
  };

  app.get(
    routes.path,
    {
      preValidation: strictQueryHook(allowed),
      schema: {
        operationId: V1_OPERATION_IDS[routes.kind].list,
        tags: [routes.tag],
        summary: `List ${routes.tag}, after applying filters if any`,
        querystring,
        response: {
          200: { description: 'One page of results', headers: revisionHeaders, $ref: routes.listSchema },
          400: textError('Bad input: unknown or repeated filter, invalid value or token'),
          401: unauthorizedResponse,
          410: textError('The nextToken has expired'),
          500: textError('Unexpected error'),
          503: textError('The state view is not in sync yet'),
        },
      },
    },
    async (request, reply) => listHandler(context, routes, request, reply),
  );

  const itemSchema = {
    operationId: V1_OPERATION_IDS[routes.kind].get,
    tags: [routes.tag],
    summary: routes.getDocs.summary,
    params: {
      type: 'object',
      required: ['cluster', routes.idParam],
      properties: {
        cluster: { type: 'string', maxLength: 1600, description: 'cluster name or ARN' },
        [routes.idParam]: { type: 'string', maxLength: 1600, description: routes.getDocs.id },
      },
    },
    response: {
      200: { description: 'The record', headers: revisionHeaders, $ref: routes.itemSchema },
      400: textError(routes.getDocs.invalid),
      401: unauthorizedResponse,
      404: textError(routes.notFound),
      414: textError('A path segment is over 2048 characters'),
      500: textError('Unexpected error'),
      503: textError('The state view is not in sync yet'),
    },
  };
  app.get(`${routes.path}/:cluster/:${routes.idParam}`, { schema: itemSchema }, async (request, reply) => {
    const params = request.params as Record<string, string>;
    return getHandler(context, routes, params['cluster'] ?? '', params[routes.idParam] ?? '', reply);
  });
  // ARNs contain '/', which clients do not always encode.
  app.get(`${routes.path}/:cluster/*`, { schema: { hide: true } }, async (request, reply) => {
    const params = request.params as { cluster: string; '*': string };
    return getHandler(context, routes, params.cluster, params['*'], reply);
  });
}

function listHandler(context: ApiContext, routes: KindRoutes, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const query = queryOf(request);
  const filter = routes.buildFilter(context.prefix, query);
  const limit = parseLimit(query['limit'], context.pageLimits);
  const position = query['nextToken'] === undefined ? undefined : decodePageToken(query['nextToken'], routes.kind, filter.fingerprint);
  const keyPrefix = filter.keyPrefix ?? namedClusterPrefix(context.prefix, routes.kind, query['cluster'], (name) => context.view.clusterArnsNamed(name));
  let page;
  try {
    page = context.view.list({
      kind: routes.kind,
      limit: limit ?? Number.POSITIVE_INFINITY,
      filter: filter.predicate,
      ...(keyPrefix === undefined ? {} : { keyPrefix }),
      ...(position === undefined ? {} : { atRevision: position.revision, afterKey: position.lastKey }),
    });
  } catch (error) {
    if (error instanceof RevisionUnavailableError) throw new ApiError(position === undefined ? 500 : 410, MESSAGES.expiredNextToken);
    throw error;
  }
  if (limit === undefined) return sendWholeList(context, request, reply, page);
  const nextToken =
    page.lastKey === undefined ? undefined : encodePageToken({ kind: routes.kind, revision: page.revision, lastKey: page.lastKey, filter: filter.fingerprint });
  const parts: BodyPart[] = ['{"items":['];
  page.items.forEach((entry, i) => {
    if (i > 0) parts.push(',');
    pushItem(parts, entry);
  });
  parts.push(`],"revision":"${page.revision}"` + (nextToken === undefined ? '}' : `,"nextToken":"${nextToken}"}`));
  const body = writeParts(parts, context.responseBuffers.acquireFor(reply.raw, partsByteLength(parts)));
  return reply.header(REVISION_HEADER, String(page.revision)).type('application/json').send(body);
}

/**
 * Every matching item, written in chunks. The entries were all taken by
 * `list` in one synchronous step, so the body is the store at one revision
 * however slowly the client reads, and nothing depends on the view's history.
 */
function sendWholeList(context: ApiContext, request: FastifyRequest, reply: FastifyReply, list: ListResult<ApiRecord>): FastifyReply {
  const raw = reply.hijack().raw;
  // Headers hooks may have set on the reply; a hijacked reply no longer sends them itself.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) raw.setHeader(name, value);
  raw.writeHead(200, {
    'content-type': 'application/json',
    'content-length': listBodyLength(list.items, list.revision),
    [REVISION_HEADER]: String(list.revision),
  });
  if (request.method === 'HEAD') {
    raw.end();
    return reply;
  }
  const writer = new ListBodyWriter({
    response: raw,
    items: list.items,
    revision: list.revision,
    buffers: context.responseBuffers,
    stallTimeoutMs: context.listStallTimeoutMs,
    onSettled: () => context.listBodies.delete(writer),
  });
  context.listBodies.add(writer);
  writer.start();
  return reply;
}

function getHandler(context: ApiContext, routes: KindRoutes, cluster: string, id: string, reply: FastifyReply): FastifyReply {
  if (cluster.length > 1600 || id.length > 1600) throw new ApiError(400, routes.invalidArn);
  // `/v1/tasks//<arn>`: the original matched no record there, and its own client relied on the 404.
  if (cluster === '') throw new ApiError(404, routes.notFound);
  const keys = routes.keysOf(context, cluster, id);
  const revision = context.view.revision;
  for (const key of keys) {
    const entry = context.view.get(key);
    if (entry !== undefined && entry.kind === routes.kind) {
      return reply.header(REVISION_HEADER, String(revision)).type('application/json').send(itemBytes(entry));
    }
  }
  throw new ApiError(404, routes.notFound);
}
