import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedKey } from '@ecs-state/domain';
import { ResponseBufferPool } from '../src/http/response-buffer-pool';
import type { ApiEntry, ApiRecord } from '../src/v1/api-record';
import { itemByteLength, itemBytes, writeItem } from '../src/v1/item-bytes';
import { ListBodyWriter, listBodyLength, type ListBodyOutcome } from '../src/v1/list-body-writer';

const CHUNK = 16 * 1024;

/** An entry whose entity is `{"n":i,"pad":"…"}` of about `bytes` bytes (é: two UTF-8 bytes each). */
function entry(n: number, bytes: number, modRevision = 1000 + n): ApiEntry {
  const entity = Buffer.from(JSON.stringify({ n, pad: 'é'.repeat(Math.max(0, bytes >> 1)) }));
  const state = { kind: 'task', entity, fields: {} } as unknown as ApiRecord;
  return { key: `k${n}`, kind: 'task', state, location: { kind: 'task' } as ParsedKey, modRevision };
}

describe('writeItem', () => {
  it('writes the bytes of itemBytes in place, for revisions of every length', () => {
    for (const revision of [1, 9, 10, 99, 100, 1_000_000, 4_294_967_296, Number.MAX_SAFE_INTEGER]) {
      const item = entry(1, 40, revision);
      const out = Buffer.alloc(itemByteLength(item) + 2, 0x2a);
      expect(writeItem(out, 1, item)).toBe(1 + itemByteLength(item));
      expect(out.subarray(1, -1).toString()).toBe(itemBytes(item).toString());
      expect([out[0], out[out.length - 1]]).toEqual([0x2a, 0x2a]);
    }
  });
});

function fetchBody(port: number): Promise<{ body: Buffer; length: number }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ body: Buffer.concat(chunks), length: Number(res.headers['content-length']) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

describe('ListBodyWriter', () => {
  let server: Server;
  let port: number;
  let items: ApiEntry[] = [];
  const pool = new ResponseBufferPool();
  const outcomes: ListBodyOutcome[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': listBodyLength(items, 42) });
      new ListBodyWriter({ response: res, items, revision: 42, buffers: pool, chunkBytes: CHUNK, onSettled: (outcome) => outcomes.push(outcome) }).start();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('writes the list body across many chunks, items larger than a chunk included, with its exact length', async () => {
    // Mostly small items, some larger than a whole chunk, some that end exactly where one would.
    items = Array.from({ length: 400 }, (_, i) => entry(i, i % 97 === 0 ? 3 * CHUNK : i % 13 === 0 ? CHUNK - 60 : 300 + i));
    const { body, length } = await fetchBody(port);
    expect(body.length).toBe(length);
    const parsed = JSON.parse(body.toString('utf8')) as { items: { metadata: { entityVersion: string }; entity: { n: number } }[]; revision: string };
    expect(parsed.revision).toBe('42');
    expect(parsed.items.map((i) => i.entity.n)).toEqual(items.map((_, i) => i));
    expect(parsed.items.map((i) => i.metadata.entityVersion)).toEqual(items.map((e) => String(e.modRevision)));
    expect(body.toString('utf8')).toMatch(/^\{"items":\[\{"metadata":\{"entityVersion":"1000"\},"entity":\{"n":0,/);
    expect(outcomes.pop()).toBe('complete');
    // Chunks whose writes completed went back to the pool.
    expect(pool.retained).toBeGreaterThanOrEqual(CHUNK);
  });

  it('writes an empty list', async () => {
    items = [];
    const { body, length } = await fetchBody(port);
    expect(body.toString()).toBe('{"items":[],"revision":"42"}');
    expect(length).toBe(body.length);
    expect(outcomes.pop()).toBe('complete');
  });
});
