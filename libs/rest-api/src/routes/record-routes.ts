import type { KeyPrefix, RecordKind } from '@ecs-state/domain';
import {
  formatClusterArn,
  instanceKey,
  parseClusterRef,
  parseContainerInstanceArn,
  parseTaskArn,
  taskKey,
} from '@ecs-state/domain';
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
  readonly filterParams: readonly string[];
  readonly filterDocs: Record<string, string>;
  readonly listSchema: string;
  readonly itemSchema: string;
  readonly notFound: string;
  readonly invalidArn: string;
  readonly buildFilter: (prefix: KeyPrefix, params: Readonly<Record<string, string>>) => RecordFilter;
  readonly keyOf: (prefix: KeyPrefix, cluster: string, arn: string) => string | null;
}

const TASKS: KindRoutes = {
  kind: 'task',
  path: '/v1/tasks',
  tag: 'tasks',
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
  },
  listSchema: 'Tasks#',
  itemSchema: 'Task#',
  notFound: MESSAGES.taskNotFound,
  invalidArn: MESSAGES.invalidTaskArn,
  buildFilter: taskFilter,
  keyOf(prefix, cluster, arn) {
    const task = parseTaskArn(arn);
    if (!task.ok) throw new ApiError(400, MESSAGES.invalidTaskArn);
    const clusterArn = clusterArnFor(cluster, task.value);
    if (clusterArn === null) return null;
    const key = taskKey(prefix, { taskArn: arn, clusterArn });
    return key.ok ? key.value : null;
  },
};

const INSTANCES: KindRoutes = {
  kind: 'instance',
  path: '/v1/instances',
  tag: 'instances',
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
  keyOf(prefix, cluster, arn) {
    const instance = parseContainerInstanceArn(arn);
    if (!instance.ok) throw new ApiError(400, MESSAGES.invalidInstanceArn);
    const clusterArn = clusterArnFor(cluster, instance.value);
    if (clusterArn === null) return null;
    const key = instanceKey(prefix, { containerInstanceArn: arn, clusterArn });
    return key.ok ? key.value : null;
  },
};

/**
 * The cluster ARN a `{cluster}` path segment (name or ARN) designates for a
 * resource ARN, or null when they cannot belong together (→ not found).
 * A name takes partition, region and account from the resource ARN.
 */
function clusterArnFor(
  cluster: string,
  resource: { partition: string; region: string; account: string; clusterName?: string },
): string | null {
  const ref = parseClusterRef(cluster);
  if (!ref.ok) throw new ApiError(400, MESSAGES.invalidCluster);
  if (resource.clusterName !== undefined && resource.clusterName !== ref.value.clusterName) return null;
  if (ref.value.kind === 'arn') {
    const { partition, region, account } = ref.value.arn;
    return partition === resource.partition && region === resource.region && account === resource.account ? ref.value.arn.arn : null;
  }
  const arn = formatClusterArn({ partition: resource.partition, region: resource.region, account: resource.account, clusterName: ref.value.clusterName });
  return arn.ok ? arn.value : null;
}

export function registerRecordRoutes(app: FastifyInstance, context: ApiContext): void {
  for (const routes of [TASKS, INSTANCES]) registerKind(app, context, routes);
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

  const itemSchema = (arnDescription: string) => ({
    operationId: V1_OPERATION_IDS[routes.kind].get,
    tags: [routes.tag],
    summary: `Get one ${routes.kind === 'task' ? 'task' : 'container instance'} by cluster and ARN`,
    params: {
      type: 'object',
      required: ['cluster', 'arn'],
      properties: {
        cluster: { type: 'string', maxLength: 1600, description: 'cluster name or ARN' },
        arn: { type: 'string', maxLength: 1600, description: arnDescription },
      },
    },
    response: {
      200: { description: 'The record', headers: revisionHeaders, $ref: routes.itemSchema },
      400: textError('Invalid cluster or ARN'),
      401: unauthorizedResponse,
      404: textError(routes.notFound),
      414: textError('A path segment is over 2048 characters'),
      500: textError('Unexpected error'),
      503: textError('The state view is not in sync yet'),
    },
  });
  app.get(`${routes.path}/:cluster/:arn`, { schema: itemSchema('ARN, URL-encoded (old or new format, any partition)') }, async (request, reply) => {
    const params = request.params as { cluster: string; arn: string };
    return getHandler(context, routes, params.cluster, params.arn, reply);
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

function getHandler(context: ApiContext, routes: KindRoutes, cluster: string, arn: string, reply: FastifyReply): FastifyReply {
  if (cluster.length > 1600 || arn.length > 1600) throw new ApiError(400, routes.invalidArn);
  // `/v1/tasks//<arn>`: the original matched no record there, and its own client relied on the 404.
  if (cluster === '') throw new ApiError(404, routes.notFound);
  const key = routes.keyOf(context.prefix, cluster, arn);
  const revision = context.view.revision;
  const entry = key === null ? undefined : context.view.get(key);
  if (entry === undefined || entry.kind !== routes.kind) throw new ApiError(404, routes.notFound);
  return reply.header(REVISION_HEADER, String(revision)).type('application/json').send(itemBytes(entry));
}
