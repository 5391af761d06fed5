import { task } from './support/records';
import { startHarness, type Harness } from './support/api-harness';

describe('a nextToken older than the view keeps', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('page-expiry', { historySize: 5 });
  });
  afterAll(() => h.close());

  it('answers 410 once more changes have happened than the view remembers', async () => {
    await h.put(...Array.from({ length: 12 }, (_, i) => task({ id: `t${String(i).padStart(2, '0')}`, cluster: 'exp' })));
    const first = (await h.app.inject({ url: '/v1/tasks?cluster=exp&limit=5' })).json() as { nextToken: string };
    expect(first.nextToken).toBeDefined();

    // Within the history, the next page is still served at the first page's revision.
    await h.put(task({ id: 't00', cluster: 'exp', version: 2 }));
    const second = await h.app.inject({ url: `/v1/tasks?cluster=exp&limit=5&nextToken=${encodeURIComponent(first.nextToken)}` });
    expect(second.statusCode).toBe(200);

    for (let v = 3; v < 12; v++) await h.put(task({ id: 't00', cluster: 'exp', version: v }));
    const expired = await h.app.inject({ url: `/v1/tasks?cluster=exp&limit=5&nextToken=${encodeURIComponent(first.nextToken)}` });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toMatch(/nextToken/i);
  });
});
