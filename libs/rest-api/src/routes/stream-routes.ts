import type { RecordKind } from '@ecs-state/domain';
import { RevisionUnavailableError, type ViewSubscription } from '@ecs-state/state-view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, MESSAGES } from '../http/api-error';
import { RETRY_LATER } from '../http/retry-later';
import { parseBooleanParam } from '../query/strict-query';
import type { StreamSlot } from '../streams/stream-registry';
import { StreamSession, type StreamEndReason, type StreamFormat } from '../streams/stream-session';
import type { ApiChange } from '../v1/api-record';
import { V1_OPERATION_IDS } from '../v1/operation-ids';
import { REVISION_HEADER, textError, unauthorizedResponse } from '../v1/schemas';
import type { ApiContext } from './api-context';
import { queryOf, strictQueryHook } from './query-hook';

const STREAM_PARAMS = ['entityVersion', 'afterRevision', 'tombstones'] as const;
const REVISION_TEXT = /^[0-9]{1,15}$/;

function parseRevision(value: string, message: string, min: number): number {
  if (!REVISION_TEXT.test(value)) throw new ApiError(400, message);
  const revision = Number(value);
  if (revision < min) throw new ApiError(400, message);
  return revision;
}

/** The revision the stream starts after: entityVersion V (v1, inclusive) means after V-1. */
function startAfter(context: ApiContext, request: FastifyRequest, query: Record<string, string>, format: StreamFormat): number {
  const entityVersion = query['entityVersion'];
  const afterRevision = query['afterRevision'];
  if (entityVersion !== undefined && afterRevision !== undefined) throw new ApiError(400, MESSAGES.conflictingStart);
  if (entityVersion !== undefined) return parseRevision(entityVersion, MESSAGES.invalidEntityVersion, 1) - 1;
  if (afterRevision !== undefined) return parseRevision(afterRevision, MESSAGES.invalidRevision, 0);
  const lastEventId = request.headers['last-event-id'];
  if (format === 'sse' && typeof lastEventId === 'string' && lastEventId !== '') return parseRevision(lastEventId, MESSAGES.invalidRevision, 0);
  return context.view.revision;
}

function formatOf(request: FastifyRequest): StreamFormat {
  const accept = request.headers.accept ?? '';
  return accept.includes('text/event-stream') ? 'sse' : 'json-lines';
}

export function registerStreamRoutes(app: FastifyInstance, context: ApiContext): void {
  for (const [kind, path, noun] of [
    ['task', '/v1/stream/tasks', 'task'],
    ['instance', '/v1/stream/instances', 'container instance'],
    ['service', '/v1/stream/services', 'service'],
  ] as const) {
    app.get(
      path,
      {
        preValidation: strictQueryHook(STREAM_PARAMS),
        schema: {
          operationId: V1_OPERATION_IDS[kind].stream,
          tags: ['streams'],
          summary: `Stream every ${noun} change`,
          description:
            'A chunked response with one JSON object per change (the item shape of the list), or Server-Sent Events with ' +
            '`Accept: text/event-stream`. Starts now, at `entityVersion` (inclusive, as in v1) or after `afterRevision` ' +
            '(e.g. the `revision` of a list). Heartbeats, at a fixed interval (15 s by default): a bare newline, whitespace ' +
            'between JSON values (JSON lines), or an SSE comment. A client that ' +
            'falls behind by more than the buffer limit is disconnected with a final `{"error":{…,"resumeAfterRevision"}}` message.',
          querystring: {
            type: 'object',
            properties: {
              entityVersion: { type: 'string', description: 'revision to start from, inclusive' },
              afterRevision: { type: 'string', description: 'revision to start after (exclusive)' },
              tombstones: { type: 'string', enum: ['true', 'false'], description: 'also send deletes, as items with metadata.deleted=true' },
            },
          },
          response: {
            200: {
              description: 'The stream',
              content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } }, 'text/event-stream': { schema: { type: 'string' } } },
            },
            400: textError('Invalid or out-of-range entity version, or unknown parameter'),
            401: unauthorizedResponse,
            500: textError('Unexpected error'),
            503: textError(
              'Too many stream clients, the view is not running, etcd is unavailable (only a start older than the in-memory history needs it), ' +
                'or the server is shutting down; with Retry-After',
            ),
          },
        },
      },
      async (request, reply) => openStream(context, kind, request, reply),
    );
  }
}

/** Why an open in progress gave up: its client left, so there is no one to answer. */
class ClientGone extends Error {}

async function openStream(context: ApiContext, kind: RecordKind, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const query = queryOf(request);
  const format = formatOf(request);
  const after = startAfter(context, request, query, format);
  const tombstones = parseBooleanParam(query['tombstones']) ?? false;
  const slot = context.streams.reserve();
  if (slot === null) throw new ApiError(503, MESSAGES.tooManyStreams, RETRY_LATER);
  try {
    await serveStream(context, { kind, format, after, tombstones }, slot, request, reply);
  } catch (error) {
    slot.release();
    throw error;
  }
}

interface StreamRequest {
  readonly kind: RecordKind;
  readonly format: StreamFormat;
  readonly after: number;
  readonly tombstones: boolean;
}

/**
 * Subscribes (an etcd round trip when the start is older than the view's
 * history), then answers 200 and registers the session in its slot. Every
 * way out before that throws, or returns with the slot released.
 */
async function serveStream(context: ApiContext, stream: StreamRequest, slot: StreamSlot, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = reply.raw;
  const clientGone = new AbortController();
  const onClientGone = () => clientGone.abort(new ClientGone('the client closed the connection'));
  raw.once('close', onClientGone);
  const fromMemory = context.view.canServeFrom(stream.after);
  const pending: (readonly ApiChange[])[] = [];
  let session: StreamSession | undefined = undefined;
  let endedEarly: StreamEndReason | undefined;
  let subscription: ViewSubscription;
  try {
    subscription = await context.view.subscribeFrom(
      stream.after,
      (changes) => (session === undefined ? pending.push(changes) : session.deliver(changes)),
      (reason) => (session === undefined ? (endedEarly ??= reason) : session.end(reason)),
      { signal: AbortSignal.any([clientGone.signal, slot.signal]) },
    );
  } catch (error) {
    if (clientGone.signal.aborted) return abandon(reply, slot);
    if (slot.signal.aborted) throw new ApiError(503, MESSAGES.shuttingDown, RETRY_LATER);
    if (error instanceof RevisionUnavailableError) throw new ApiError(400, MESSAGES.entityVersionOutOfRange);
    throw error;
  } finally {
    raw.off('close', onClientGone);
  }
  // Gone or shut down while the subscription was being set up, too late for the signal to stop it.
  if (clientGone.signal.aborted || raw.destroyed) {
    subscription.close();
    return abandon(reply, slot);
  }
  if (slot.signal.aborted) {
    subscription.close();
    throw new ApiError(503, MESSAGES.shuttingDown, RETRY_LATER);
  }

  reply.hijack();
  try {
    raw.writeHead(200, {
      'content-type': stream.format === 'sse' ? 'text/event-stream; charset=utf-8' : 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      [REVISION_HEADER]: String(stream.after),
    });
    raw.flushHeaders();
  } catch (error) {
    subscription.close();
    throw error;
  }
  const opened = new StreamSession({
    response: raw,
    kind: stream.kind,
    format: stream.format,
    tombstones: stream.tombstones,
    maxBufferedBytes: context.streamBufferBytes,
    afterRevision: stream.after,
    onEnd: (reason) => {
      subscription.close();
      slot.release();
      context.streamMetrics?.ended.inc({ reason });
      request.log.info({ reason, resumeAfterRevision: opened.resumeAfterRevision }, 'stream ended');
    },
  });
  session = opened;
  slot.attach(opened);
  context.streamMetrics?.opened.inc({ kind: stream.kind, format: stream.format, source: fromMemory ? 'memory' : 'etcd' });
  if (stream.format === 'sse') raw.write('retry: 1000\n\n');
  for (const changes of pending.splice(0)) opened.deliver(changes);
  if (endedEarly !== undefined) opened.end(endedEarly);
}

/** The client left before the stream opened: nothing to answer, nothing to keep. */
function abandon(reply: FastifyReply, slot: StreamSlot): void {
  slot.release();
  reply.hijack();
  reply.raw.destroy();
}
