import { EventEmitter } from 'node:events';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ResponseBufferPool } from '../src/http/response-buffer-pool';

const BODY_BYTES = 100 * 1024;

function fetchBody(port: number, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ResponseBufferPool', () => {
  let server: Server;
  let port: number;
  const pool = new ResponseBufferPool();
  const backings = new Set<ArrayBufferLike>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      // Each body is filled with a byte of its own, so any reuse while a body is still being sent shows.
      const fill = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('fill'));
      const body = pool.acquireFor(res, BODY_BYTES).fill(fill);
      backings.add(body.buffer);
      res.setHeader('content-length', body.length);
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('reuses the memory of finished responses', async () => {
    backings.clear();
    for (let i = 1; i <= 20; i++) {
      const body = await fetchBody(port, `/?fill=${i}`);
      expect(body.length).toBe(BODY_BYTES);
      expect(body.every((byte) => byte === i)).toBe(true);
    }
    expect(backings.size).toBe(1);
    expect(pool.retained).toBeGreaterThanOrEqual(BODY_BYTES);
  });

  it('never hands out memory that a response in flight is still sending', async () => {
    const bodies = await Promise.all(Array.from({ length: 30 }, (_, i) => fetchBody(port, `/?fill=${i + 1}`)));
    bodies.forEach((body, i) => {
      expect(body.length).toBe(BODY_BYTES);
      expect(body.every((byte) => byte === i + 1)).toBe(true);
    });
  });

  it('lends whole buffers that come back only when released, and refuses views into them', () => {
    const lender = new ResponseBufferPool();
    const first = lender.acquire(100 * 1024);
    expect(first.length).toBe(128 * 1024);
    // Not released yet: another caller gets other memory.
    const second = lender.acquire(100 * 1024);
    expect(second.buffer).not.toBe(first.buffer);
    lender.release(first.subarray(0, 1024));
    expect(lender.retained).toBe(0);
    lender.release(first);
    expect(lender.retained).toBe(128 * 1024);
    expect(lender.acquire(128 * 1024)).toBe(first);
    expect(lender.retained).toBe(0);
  });

  it('gives small bodies ordinary buffers and caps what idle buffers retain', () => {
    const capped = new ResponseBufferPool(256 * 1024);
    // Only the response's end events matter to the pool.
    const responses = Array.from({ length: 4 }, () => new EventEmitter() as ServerResponse);
    const small = capped.acquireFor(responses[0] as ServerResponse, 100);
    expect(small.length).toBe(100);
    for (const response of responses) capped.acquireFor(response, 100 * 1024);
    for (const response of responses) response.emit('finish');
    // Two 128 KB buffers fit under the cap; the rest are left to the collector.
    expect(capped.retained).toBe(256 * 1024);
  });
});
