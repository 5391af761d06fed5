import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { testRedisUrl } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import { createReconcileClient, type ReconcileClient } from '@ecs-state/reconcile-jobs';
import { startHarness, type Harness } from './support/api-harness';
import { exchange, RawConnection, type RawResponse } from './support/raw-http';
import { task } from './support/records';
import { StreamClient } from './support/stream-client';

const TOKEN = 'http-errors-token';
const AUTH = `Authorization: Bearer ${TOKEN}\r\n`;
const REQUEST_TIMEOUT_MS = 1000;
/** Sent in every malformed request; no answer may contain it. */
const MARK = 'EchoMark7f3a';

const TEXT = 'text/plain; charset=utf-8';

function get(path: string, extraHeaders = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: api\r\n${AUTH}${extraHeaders}Connection: close\r\n\r\n`;
}

function post(body: string, contentType: string | null = 'application/json'): string {
  const type = contentType === null ? '' : `Content-Type: ${contentType}\r\n`;
  return `POST /v1/reconcile HTTP/1.1\r\nHost: api\r\n${AUTH}${type}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

/** What a plain-text error answer looks like, for one comparison per case. */
function shape(response: RawResponse | undefined): unknown {
  if (response === undefined) return 'no complete response';
  return {
    status: response.status,
    body: response.body,
    contentType: response.headers['content-type'],
    nosniff: response.headers['x-content-type-options'],
    echoes: response.body.includes(MARK) || JSON.stringify(response.headers).includes(MARK),
  };
}

function textError(status: number, message: string): unknown {
  return { status, body: `${message}\n`, contentType: TEXT, nosniff: 'nosniff', echoes: false };
}

describe('errors the framework and Node raise, in the API format', () => {
  let h: Harness;
  let port: number;
  let reconcile: ReconcileClient;

  beforeAll(async () => {
    reconcile = createReconcileClient({ connection: testRedisUrl(), prefix: `http-errors-${randomUUID().slice(0, 8)}` });
    h = await startHarness('http-errors', { tokens: [TOKEN], reconcile, requestTimeoutMs: REQUEST_TIMEOUT_MS, stream: { heartbeatMs: 200 } });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    port = (h.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await h.close();
    await reconcile.close();
  });

  it.each([
    ['malformed percent-encoding in the path', 400, 'Invalid URL: malformed percent-encoding', get(`/v1/tasks/${MARK}%E0%A4%A/arn`)],
    ['malformed percent-encoding in a parameter', 400, 'Invalid URL: malformed percent-encoding', get(`/v1/reconcile/${MARK}%zz`)],
    ['a path parameter over 2048 characters', 414, 'URI too long: a path segment is over 2048 characters', get(`/v1/reconcile/${MARK}${'x'.repeat(3000)}`)],
    ['a cluster segment over 2048 characters', 414, 'URI too long: a path segment is over 2048 characters', get(`/v1/tasks/${MARK}${'c'.repeat(3000)}/arn`)],
    ['invalid JSON', 400, 'The body is not valid JSON', post(`{"clusters": [${MARK}`)],
    ['JSON with a __proto__ key', 400, 'The body is not valid JSON', post(`{"__proto__": {"${MARK}": 1}}`)],
    ['an empty JSON body', 400, 'The body is empty but Content-Type is application/json', post('')],
    ['an unsupported content type', 415, 'Unsupported Content-Type: send application/json', post(`<${MARK}/>`, `application/xml; ${MARK}=1`)],
    ['a body over 64 KiB', 413, 'The body is too large', post(JSON.stringify({ clusters: [`${MARK}${'c'.repeat(70 * 1024)}`] }))],
  ])('%s: %i in plain text, echoing nothing', async (_case, status, message, request) => {
    const answer = await exchange(port, request, 5000, 1);
    expect(shape(answer.responses[0])).toEqual(textError(status, message));
  });

  it.each([
    ['headers over the size limit', 431, 'Request header fields too large', get('/v1/tasks', `X-${MARK}: ${MARK.repeat(3000)}\r\n`)],
    ['a request line over the size limit', 431, 'Request header fields too large', get(`/v1/tasks?cluster=${MARK}${'c'.repeat(20_000)}`)],
    ['a malformed request line', 400, 'Malformed HTTP request', `GET /${MARK} HTTP/7.1\r\nHost: api\r\n\r\n`],
    ['a malformed header', 400, 'Malformed HTTP request', `GET /v1/tasks HTTP/1.1\r\nHost: api\r\n${MARK} no colon\r\n\r\n`],
  ])("Node's parser rejects %s: %i in plain text, echoing nothing, and the connection is closed", async (_case, status, message, request) => {
    const answer = await exchange(port, request, 5000);
    expect({ response: shape(answer.responses[0]), closed: answer.closedByServer, connection: answer.responses[0]?.headers['connection'] }).toEqual({
      response: textError(status, message),
      closed: true,
      connection: 'close',
    });
  });

  it('answers a body shorter than its Content-Length 408 within the request timeout, and a stream open for longer keeps streaming', async () => {
    const stream = await StreamClient.open(`http://127.0.0.1:${port}/v1/stream/tasks`, { authorization: `Bearer ${TOKEN}` });
    try {
      const started = Date.now();
      const answer = await exchange(
        port,
        `POST /v1/reconcile HTTP/1.1\r\nHost: api\r\n${AUTH}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"clusters": ["${MARK}"`,
        REQUEST_TIMEOUT_MS + 15_000,
      );
      expect({ response: shape(answer.responses[0]), closed: answer.closedByServer }).toEqual({
        response: textError(408, 'The request was not received in time'),
        closed: true,
      });
      // Node checks the timeout every connectionsCheckingInterval: 30 s unless the server sets
      // it (at most 1 s here), so the answer comes well before 30 s even on a slow machine.
      expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 15_000);

      // The stream has been open for longer than the request timeout and still delivers.
      expect(Date.now() - started).toBeGreaterThan(REQUEST_TIMEOUT_MS);
      await h.put(task({ id: 'late', cluster: 'http-errors' }));
      const taskArns = () => stream.json().map((item) => (item['entity'] as { taskARN: string }).taskARN);
      await eventually('the late task on the stream', () => taskArns().includes('arn:aws:ecs:us-west-2:111122223333:task/http-errors/late'), {
        timeoutMs: 15_000,
        context: () => `stream ended: ${stream.ended}`,
      });
      expect(stream.ended).toBe(false);
    } finally {
      stream.close();
    }
  });

  describe('POST /v1/reconcile accepts a JSON object or no body, nothing else', () => {
    const answerTo = async (request: string) => shape((await exchange(port, request, 5000, 1)).responses[0]);
    const invalid = textError(400, 'Invalid request: body must be object');

    it('refuses every JSON value that is not an object, null included, and text: 400', async () => {
      const cases = { null: 'null', array: '["c"]', number: '1', string: '"c"' };
      const answers: Record<string, unknown> = {};
      for (const [name, body] of Object.entries(cases)) answers[name] = await answerTo(post(body));
      answers['text'] = await answerTo(post('{}', 'text/plain'));
      expect(answers).toEqual({ null: invalid, array: invalid, number: invalid, string: invalid, text: invalid });
    });

    it('refuses a charset other than UTF-8 (415), and accepts no body, an empty object and an object declared UTF-8 (202)', async () => {
      const unsupported = textError(415, 'Unsupported charset: JSON bodies must be UTF-8');
      const status = async (request: string) => (await exchange(port, request, 5000, 1)).responses[0]?.status;
      expect({
        latin1: await answerTo(post('{}', 'application/json; charset=latin1')),
        utf16: await answerTo(post('{}', 'application/json; charset="utf-16"')),
        noBody: await status(`POST /v1/reconcile HTTP/1.1\r\nHost: api\r\n${AUTH}Connection: close\r\n\r\n`),
        emptyObject: await status(post('{}')),
        utf8: await status(post('{"clusters": ["c"]}', 'application/json; charset="UTF-8"')),
      }).toEqual({ latin1: unsupported, utf16: unsupported, noBody: 202, emptyObject: 202, utf8: 202 });
    });
  });
});

describe('a request that reaches a server shutting down', () => {
  it('answers 503 in plain text with Retry-After and closes its connection, and close() ends a connection that never completes a request', async () => {
    const h = await startHarness('http-errors-shutdown', { requestTimeoutMs: REQUEST_TIMEOUT_MS });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as AddressInfo).port;
    const late = new RawConnection(port);
    const silent = new RawConnection(port);
    try {
      // A request under way when the shutdown begins; it completes after.
      await late.write('GET /v1/tasks HTTP/1.1\r\nHost: api\r\n');
      await silent.write('');
      await eventually('both connections accepted', () => new Promise<boolean>((resolve, reject) => h.app.server.getConnections((error, count) => (error ? reject(error) : resolve(count >= 2)))));
      const started = Date.now();
      const closing = h.close();
      await new Promise((r) => setTimeout(r, 100));
      await late.write('\r\n');
      const answer = await late.read({ responses: 1, timeoutMs: 3000 });
      expect({ response: shape(answer.responses[0]), retryAfter: answer.responses[0]?.headers['retry-after'], connection: answer.responses[0]?.headers['connection'] }).toEqual({
        response: textError(503, 'The server is shutting down; retry later'),
        retryAfter: '5',
        connection: 'close',
      });
      // close() does not wait on the silent connection: the bound is far below the 30 s of
      // Node's default timeout checks, with room for a slow machine.
      await closing;
      expect(Date.now() - started).toBeLessThan(REQUEST_TIMEOUT_MS + 15_000);
    } finally {
      late.close();
      silent.close();
    }
  });
});
