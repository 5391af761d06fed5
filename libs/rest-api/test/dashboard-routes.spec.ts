import { startHarness, type Harness } from './support/api-harness';

const SCRIPT = Buffer.from('document.body.textContent = "dashboard";\n');

describe('the dashboard routes', () => {
  let secured: Harness;
  let without: Harness;

  beforeAll(async () => {
    secured = await startHarness('dashboard-routes', { tokens: ['s3cret'], dashboard: { script: SCRIPT } });
    without = await startHarness('dashboard-routes-none', { tokens: ['s3cret'] });
  });
  afterAll(async () => {
    await secured.close();
    await without.close();
  });

  it('serves the page and its script without a token, while the data behind them still needs one', async () => {
    const redirect = await secured.app.inject({ url: '/ui' });
    expect([redirect.statusCode, redirect.headers['location']]).toEqual([301, '/ui/']);
    const page = await secured.app.inject({ url: '/ui/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const src = /<script src="(dashboard\.js\?v=[0-9a-f]{16})"/.exec(page.body)?.[1];
    expect(src).toBeDefined();
    const script = await secured.app.inject({ url: `/ui/${src}` });
    expect([script.statusCode, script.headers['content-type'], script.body]).toEqual([200, 'text/javascript; charset=utf-8', SCRIPT.toString()]);
    const again = await secured.app.inject({ url: '/ui/dashboard.js', headers: { 'if-none-match': String(script.headers['etag']) } });
    expect(again.statusCode).toBe(304);
    expect((await secured.app.inject({ url: '/v1/tasks' })).statusCode).toBe(401);
    expect((await secured.app.inject({ url: '/ui/../v1/tasks' })).statusCode).toBe(401);
  });

  it('is not part of the API document, and absent when the server has no dashboard', async () => {
    const doc = (await secured.app.inject({ url: '/docs/json', headers: { authorization: 'Bearer s3cret' } })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).filter((path) => path.startsWith('/ui'))).toEqual([]);
    expect((await without.app.inject({ url: '/ui/' })).statusCode).toBe(404);
  });
});
