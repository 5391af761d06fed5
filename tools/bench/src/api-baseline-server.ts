/**
 * The original service's way of answering reads, for comparison: every
 * request reads etcd. A get reads one key; a list range-reads the whole
 * cluster prefix, decodes every record and filters (as the Go service did).
 * `/paged/v1/tasks` is a kinder variant that range-reads in pages of 500 keys
 * until the page of results is full.
 *
 * Run as its own process by api-bench.ts: ETCD_ENDPOINTS, ETCD_PREFIX, PORT.
 */
import { createServer, type ServerResponse } from 'node:http';
import { clusterTasksPrefix, formatClusterArn, parseKeyPrefix, parseTaskArn, taskKey, type KeyPrefix } from '@ecs-state/domain';
import { prefixRangeEnd, stateRecordCodec } from '@ecs-state/etcd-store';
import { toTaskEntity } from '@ecs-state/rest-api';
import { Etcd3, type IKeyValue } from 'etcd3';

const PAGE_KEYS = 500;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const parsedPrefix = parseKeyPrefix(required('ETCD_PREFIX'));
if (!parsedPrefix.ok) throw new Error(parsedPrefix.message);
const prefix: KeyPrefix = parsedPrefix.value;
const codec = stateRecordCodec(prefix);
// The Go client of the original accepted responses of any size; grpc-js defaults to 4 MiB.
const client = new Etcd3({ hosts: required('ETCD_ENDPOINTS').split(','), grpcOptions: { 'grpc.max_receive_message_length': -1 } });

function item(kv: IKeyValue): { json: string; lastStatus: string } | undefined {
  const state = codec.decode(kv.key.toString(), kv.value);
  if (state.kind !== 'task') return undefined;
  const json = JSON.stringify({ metadata: { entityVersion: String(kv.mod_revision) }, entity: toTaskEntity(state.record) });
  return { json, lastStatus: state.record.lastStatus };
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function getTask(cluster: string, arn: string): Promise<[number, string]> {
  const task = parseTaskArn(arn);
  if (!task.ok) return [400, 'Invalid task ARN\n'];
  const { partition, region, account } = task.value;
  const clusterArn = formatClusterArn({ partition, region, account, clusterName: cluster });
  if (!clusterArn.ok) return [400, 'Invalid cluster ARN or name\n'];
  const key = taskKey(prefix, { taskArn: arn, clusterArn: clusterArn.value });
  if (!key.ok) return [404, 'Task not found\n'];
  const response = await client.kv.range({ key: Buffer.from(key.value) });
  const kv = response.kvs[0];
  const found = kv === undefined ? undefined : item(kv);
  return found === undefined ? [404, 'Task not found\n'] : [200, found.json];
}

async function listTasks(query: URLSearchParams, paged: boolean): Promise<[number, string]> {
  const clusterArn = query.get('cluster') ?? '';
  const status = (query.get('status') ?? '').toUpperCase();
  const limit = Number(query.get('limit') ?? '100');
  const range = clusterTasksPrefix(prefix, clusterArn);
  if (!range.ok) return [400, 'Invalid cluster ARN or name\n'];
  const start = Buffer.from(range.value);
  const end = prefixRangeEnd(start);
  const items: string[] = [];
  let revision = 0;
  let from = start;
  for (;;) {
    const response = await client.kv.range({ key: from, range_end: end, ...(paged ? { limit: PAGE_KEYS } : {}), ...(revision > 0 ? { revision } : {}) });
    revision = Number(response.header.revision);
    for (const kv of response.kvs) {
      const found = item(kv);
      if (found !== undefined && (status === '' || found.lastStatus === status) && items.length < limit) items.push(found.json);
    }
    const last = response.kvs.at(-1);
    if (!paged || !response.more || items.length >= limit || last === undefined) break;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
  return [200, `{"items":[${items.join(',')}],"revision":"${revision}"}`];
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const segments = url.pathname.split('/');
  let answer: Promise<[number, string]>;
  if (url.pathname === '/v1/tasks' || url.pathname === '/paged/v1/tasks') answer = listTasks(url.searchParams, url.pathname.startsWith('/paged'));
  else if (segments[1] === 'v1' && segments[2] === 'tasks' && segments.length >= 5) {
    answer = getTask(decodeURIComponent(segments[3] ?? ''), decodeURIComponent(segments.slice(4).join('/')));
  } else answer = Promise.resolve([404, 'Not found\n']);
  answer.then(
    ([status, body]) => send(res, status, body, status === 200 ? 'application/json' : 'text/plain'),
    (error: unknown) => send(res, 500, `${error instanceof Error ? error.message : String(error)}\n`, 'text/plain'),
  );
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env['PORT'] ?? '0'), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  console.log(JSON.stringify({ message: 'baseline listening', url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => {
  server.close();
  client.close();
  process.exit(0);
});
