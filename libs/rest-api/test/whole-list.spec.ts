import { API_METRICS } from '../src/metrics/api-metrics';
import { eventually } from '@ecs-state/test-support';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';
import { listenOnLoopback } from './support/listen-on-loopback';

// More tasks than the largest page (API_LIST_MAX_LIMIT's default, 10,000), so no page can hold them all.
const TASKS = 10_050;
// Far fewer changes than the slow-reader test makes while its list is being written.
const HISTORY = 40;
// Longer than the slow-reader test leaves its socket full; short enough for the stalled-reader test to wait out.
const STALL_TIMEOUT_MS = 5000;

interface ListItem {
  metadata: { entityVersion: string };
  entity: { taskARN: string; lastStatus: string };
}
interface ListBody {
  items: ListItem[];
  revision: string;
  nextToken?: string;
}

const ids = Array.from({ length: TASKS }, (_, i) => `t${String(i).padStart(5, '0')}`);
const idOf = (item: ListItem) => item.entity.taskARN.split('/').pop();
/** Each item as id@entityVersion: cheap to compare for 10,000 items, unlike the objects themselves. */
const versionsOf = (items: readonly ListItem[]) => items.map((item) => `${idOf(item)}@${item.metadata.entityVersion}`);

/** Opens a list over a real socket and hands back the response before any of the body is consumed. */
function openList(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false }, (res) => {
      res.pause();
      resolve(res);
    });
    req.on('error', reject);
  });
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.resume();
  });
}

describe('a list without limit', () => {
  let h: Harness;
  let base: string;
  let loadedRevision: number;

  beforeAll(async () => {
    h = await startHarness('whole-list', { historySize: HISTORY, listStallTimeoutMs: STALL_TIMEOUT_MS });
    for (let i = 0; i < TASKS; i += 1000) loadedRevision = await h.put(...ids.slice(i, i + 1000).map((id) => task({ id, cluster: 'big' })));
    loadedRevision = await h.put(task({ id: 's1', cluster: 'small' }), task({ id: 's2', cluster: 'small', lastStatus: 'STOPPED' }), task({ id: 's3', cluster: 'small' }));
    base = await listenOnLoopback(h.app);
  }, 120_000);
  afterAll(() => h.close());

  async function listBodiesWriting(): Promise<number> {
    const metrics = (await h.app.inject({ url: '/metrics' })).body;
    const line = new RegExp(`^${API_METRICS.listBodies} (\\d+)$`, 'm').exec(metrics);
    if (line === null) throw new Error(`${API_METRICS.listBodies} is not exported`);
    return Number(line[1]);
  }

  it('returns every matching item in one body at one revision, with no nextToken, in the shape of a page', async () => {
    const res = await h.app.inject({ url: '/v1/tasks?cluster=big' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    const body = res.json() as ListBody;
    expect(body.items.map(idOf)).toEqual(ids);
    expect(body.revision).toBe(String(loadedRevision));
    expect(res.headers['x-store-revision']).toBe(body.revision);
    expect(body).not.toHaveProperty('nextToken');
    // Filters apply as they do to pages.
    expect(((await h.app.inject({ url: '/v1/tasks?status=running' })).json() as ListBody).items).toHaveLength(TASKS + 2);

    // Byte for byte what a page that holds everything says, which has no nextToken either.
    const whole = await h.app.inject({ url: '/v1/tasks?cluster=small' });
    const page = await h.app.inject({ url: '/v1/tasks?cluster=small&limit=10' });
    expect((whole.json() as ListBody).items).toHaveLength(3);
    expect(whole.body).toBe(page.body);
    expect(whole.headers['x-store-revision']).toBe(page.headers['x-store-revision']);
    const head = await h.app.inject({ method: 'HEAD', url: '/v1/tasks?cluster=small' });
    expect([head.statusCode, head.body, head.headers['content-length']]).toEqual([200, '', String(whole.rawPayload.length)]);
    const empty = await h.app.inject({ url: '/v1/tasks?cluster=nothing-here' });
    expect(empty.body).toBe(`{"items":[],"revision":"${loadedRevision}"}`);
  });

  it('still pages with limit, and the pages add up to the whole list', async () => {
    const whole = (await h.app.inject({ url: '/v1/tasks?cluster=big' })).json() as ListBody;
    const pages: ListBody[] = [];
    let token: string | undefined;
    do {
      const res = await h.app.inject({ url: `/v1/tasks?cluster=big&limit=4000${token === undefined ? '' : `&nextToken=${token}`}` });
      expect(res.statusCode).toBe(200);
      const page = res.json() as ListBody;
      pages.push(page);
      token = page.nextToken;
    } while (token !== undefined);
    expect(pages.map((p) => p.items.length)).toEqual([4000, 4000, 2050]);
    expect(pages.every((p) => p.revision === whole.revision)).toBe(true);
    expect(versionsOf(pages.flatMap((p) => p.items))).toEqual(versionsOf(whole.items));

    // A nextToken without limit: the rest of the listing, at the first page's revision.
    const first = (await h.app.inject({ url: '/v1/tasks?cluster=big&limit=50' })).json() as ListBody;
    const rest = (await h.app.inject({ url: `/v1/tasks?cluster=big&nextToken=${first.nextToken}` })).json() as ListBody;
    expect(rest).not.toHaveProperty('nextToken');
    expect(rest.revision).toBe(first.revision);
    expect(versionsOf([...first.items, ...rest.items])).toEqual(versionsOf(whole.items));
  });

  it('gives a slow reader the whole list at one revision, however many changes happen while it reads', async () => {
    const res = await openList(`${base}/v1/tasks?cluster=big`);
    const revision = Number(res.headers['x-store-revision']);
    // The socket is full and the server is waiting for it: the body is not written yet.
    expect(await listBodiesWriting()).toBe(1);

    const changed = ids.filter((_, i) => i % 50 === 0);
    expect(changed.length).toBeGreaterThan(3 * HISTORY);
    const after = await h.put(
      ...changed.map((id) => task({ id, cluster: 'big', version: 2, lastStatus: 'STOPPED' })),
      ...Array.from({ length: 20 }, (_, i) => task({ id: `z${i}`, cluster: 'big' })),
    );
    expect(after).toBeGreaterThan(revision);
    // The view has moved on, and the revision listed is older than its history reaches.
    expect(h.view.status().historyCompleteAfter).toBeGreaterThan(revision);
    expect(await listBodiesWriting()).toBe(1);

    const bytes = await readAll(res);
    expect(bytes.length).toBe(Number(res.headers['content-length']));
    const body = JSON.parse(bytes.toString('utf8')) as ListBody;
    expect(body.revision).toBe(String(revision));
    expect(body).not.toHaveProperty('nextToken');
    expect(body.items.map(idOf)).toEqual(ids);
    expect(body.items.every((item) => item.entity.lastStatus === 'RUNNING' && Number(item.metadata.entityVersion) <= revision)).toBe(true);
    await eventually('no list body being written', async () => (await listBodiesWriting()) === 0, { timeoutMs: 3 * STALL_TIMEOUT_MS });
  });

  it('lets go of a list whose client disconnects in the middle of the body', async () => {
    const res = await openList(`${base}/v1/tasks?cluster=big`);
    const total = Number(res.headers['content-length']);
    const received = await new Promise<number>((resolve) => {
      let count = 0;
      res.on('data', (chunk: Buffer) => {
        count += chunk.length;
        if (count > 256 * 1024) {
          res.pause();
          resolve(count);
        }
      });
      res.resume();
    });
    expect(received).toBeLessThan(total);
    expect(await listBodiesWriting()).toBe(1);

    res.destroy();
    await eventually('no list body being written', async () => (await listBodiesWriting()) === 0, { timeoutMs: 3 * STALL_TIMEOUT_MS });
    // The server carries on serving whole lists.
    const again = await readAll(await openList(`${base}/v1/tasks?cluster=big`));
    expect((JSON.parse(again.toString('utf8')) as ListBody).items.length).toBeGreaterThan(TASKS);
  });

  it('lets go of a list whose client stops reading, after the stall timeout', async () => {
    const res = await openList(`${base}/v1/tasks?cluster=big`);
    const total = Number(res.headers['content-length']);
    const openedAt = Date.now();
    expect(await listBodiesWriting()).toBe(1);

    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    await eventually('no list body being written', async () => (await listBodiesWriting()) === 0, { timeoutMs: 3 * STALL_TIMEOUT_MS });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(STALL_TIMEOUT_MS - 100);
    // The connection is cut: what the client can still read is short of the announced length.
    let received = 0;
    res.on('data', (chunk: Buffer) => (received += chunk.length));
    res.on('error', () => undefined);
    res.resume();
    await closed;
    expect(received).toBeLessThan(total);
  });
});
