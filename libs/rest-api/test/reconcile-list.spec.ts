import { randomUUID } from 'node:crypto';
import { testRedisUrl } from '@ecs-state/local-services';
import { createReconcileClient, type ReconcileClient, type ReconcileRunView } from '@ecs-state/reconcile-jobs';
import { startHarness, type Harness } from './support/api-harness';

const TOKEN = 'list-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

describe('GET /v1/reconcile: the recent runs, on the real queue client', () => {
  let h: Harness;
  let reconcile: ReconcileClient;

  beforeAll(async () => {
    reconcile = createReconcileClient({ connection: testRedisUrl(), prefix: `reconcile-list-${randomUUID().slice(0, 8)}` });
    h = await startHarness('reconcile-list', { tokens: [TOKEN], reconcile });
  });
  afterAll(async () => {
    await h.close();
    await reconcile.close();
  });

  const list = async (query = '') => {
    const response = await h.app.inject({ url: `/v1/reconcile${query}`, headers: AUTH });
    return { status: response.statusCode, runs: response.statusCode === 200 ? (response.json() as { runs: ReconcileRunView[] }).runs : response.body };
  };

  it('lists the runs posted, newest first, as GET /v1/reconcile/{id} shows each', async () => {
    expect(await list()).toEqual({ status: 200, runs: [] });
    const first = (await h.app.inject({ method: 'POST', url: '/v1/reconcile', headers: AUTH, payload: { clusters: ['web'] } })).json() as { id: string };
    await new Promise((r) => setTimeout(r, 5));
    const second = (await h.app.inject({ method: 'POST', url: '/v1/reconcile', headers: AUTH, payload: { clusters: ['batch'] } })).json() as { id: string };

    const all = await list();
    expect(all.status).toBe(200);
    expect((all.runs as ReconcileRunView[]).map((run) => [run.id, run.state, run.requestedClusters])).toEqual([
      [second.id, 'queued', ['batch']],
      [first.id, 'queued', ['web']],
    ]);
    const one = (await h.app.inject({ url: `/v1/reconcile/${first.id}`, headers: AUTH })).json() as ReconcileRunView;
    expect((all.runs as ReconcileRunView[])[1]).toEqual(one);
    expect((await list('?limit=1')).runs).toHaveLength(1);
  });

  it.each([['?limit=0'], ['?limit=101'], ['?limit=x'], ['?limit=1&limit=2'], ['?cluster=web']])('refuses %s with 400', async (query) => {
    expect((await list(query)).status).toBe(400);
  });
});
