import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { serviceSnapshot, type ContainerInstanceRecord, type StateRecord, type TaskRecord } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore } from '@ecs-state/etcd-store';
import { freePort, launchChromium, testEtcdEndpoints, testRedisUrl, type HeadlessBrowser } from '@ecs-state/local-services';
import { newClient, ServiceProcess, uniquePrefix, writer } from '@ecs-state/test-services';
import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import type { Page } from 'puppeteer-core';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '../../..');
/** This test's output: a screenshot of each view. */
const SCREENSHOTS = join(ROOT, 'tmp/test-output/dashboard');
const TOKEN = `dashboard-${randomUUID()}`;
/**
 * How long a change written to the store may take to show. The page neither polls nor reloads
 * (the marker and the one listing per view below prove it), so a change shows only if it came
 * over the live stream; how fast is for a benchmark, not for a test on a busy machine.
 */
const LIVE_WAIT_MS = 15_000;

describe('the dashboard under /ui, in headless Chromium, against the api, etcd, Redis, a reconciler and the simulator', () => {
  const prefix = uniquePrefix('api', 'dashboard');
  const queuePrefix = `dashboard-${randomUUID().slice(0, 8)}`;
  let sim: Simulator;
  let client: Etcd3;
  let reconciler: ServiceProcess;
  let api: ServiceProcess;
  let port: number;
  let chromium: HeadlessBrowser;
  let page: Page;
  let base: string;
  const store = () => writer(client, prefix);
  /** Every API request the page made, for what it loads. */
  const requested: URL[] = [];

  /** `null`: no API_TOKENS, so authentication is off. */
  const apiProcess = (tokens: string | null = TOKEN) =>
    new ServiceProcess({
      main: 'apps/api/src/main.ts',
      env: { ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: prefix, REDIS_URL: testRedisUrl(), RECONCILE_QUEUE_PREFIX: queuePrefix, ...(tokens === null ? {} : { API_TOKENS: tokens }), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      readyMessage: 'api listening',
    });

  /** Every record stored under the prefix, as the reconciler wrote them. */
  const stored = async () => (await store().snapshot(prefix)).items.map((item) => item.record as StateRecord);
  const tasks = async () => (await stored()).filter((r): r is { kind: 'task'; record: TaskRecord } => r.kind === 'task').map((r) => r.record);
  const instances = async () => (await stored()).filter((r): r is { kind: 'instance'; record: ContainerInstanceRecord } => r.kind === 'instance').map((r) => r.record);

  const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
  /** What a person sees once the page has rendered the latest data (renders are throttled). */
  const shows = async (selector: string, expected: string | number) => {
    await page
      .waitForFunction((s: string, e: string) => document.querySelector(s)?.textContent === e, { timeout: LIVE_WAIT_MS }, selector, String(expected))
      .catch(() => undefined);
    return text(selector);
  };
  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `ui-${name}.png`), fullPage: true });
  const go = async (route: string) => {
    await page.evaluate((hash) => (location.hash = hash), route);
    await page.waitForSelector(`section[data-view="${route.split('/')[1]}"]:not([hidden])`);
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    sim = await startSimulator({
      port: 0,
      region: 'us-east-1',
      eventQueue: null,
      workload: { clusters: 2, instancesPerCluster: 2, tasksPerCluster: 12, start: false, seed: 16 },
    });
    client = newClient();
    port = await freePort();
    reconciler = new ServiceProcess({
      main: 'apps/reconciler/src/main.ts',
      env: {
        ETCD_ENDPOINTS: testEtcdEndpoints(),
        ETCD_PREFIX: prefix,
        REDIS_URL: testRedisUrl(),
        RECONCILE_QUEUE_PREFIX: queuePrefix,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECS: sim.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        RECONCILE_INTERVAL: 'off',
        // The store starts empty: the reconciler's first run fills it from the simulator.
        RECONCILE_ON_EMPTY_STORE: 'true',
        METRICS_PORT: '0',
        LOG_LEVEL: 'info',
      },
      readyMessage: 'reconciler started',
    });
    api = apiProcess();
    const [, , browser] = await Promise.all([reconciler.start(), api.start(), launchChromium()]);
    chromium = browser;
    base = `http://127.0.0.1:${port}`;
    // The startup run has written the 24 tasks and 4 instances.
    await eventually('the startup reconcile to fill the store', async () => (await tasks()).length >= 24 && (await instances()).length >= 4, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    page = await chromium.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    page.on('request', (request) => requested.push(new URL(request.url())));
  });

  afterAll(async () => {
    await chromium?.close();
    await api?.kill();
    await reconciler?.kill();
    client?.close();
    await sim?.close();
  });

  it('asks for the token, keeps it in the session only, then shows every cluster with its instances and tasks', async () => {
    await page.goto(`${base}/ui`);
    await page.waitForSelector('form.login');
    await shoot('login');
    await page.type('#token', 'not-the-token');
    await page.click('form.login button[type=submit]');
    await page.waitForFunction(() => document.querySelector('[data-role=login-error]')?.textContent?.includes('not accepted'));
    await page.$eval('#token', (input) => ((input as HTMLInputElement).value = ''));
    await page.type('#token', TOKEN);
    await page.click('form.login button[type=submit]');
    await page.waitForSelector('[data-cluster="workload-1"]');
    await page.waitForFunction(() => document.querySelector('[data-role=connection]')?.textContent === 'live');
    expect(await page.evaluate(() => ({ session: sessionStorage.length, local: localStorage.length, cookies: document.cookie }))).toEqual({ session: 1, local: 0, cookies: '' });

    // What a person reads per cluster equals what the store holds.
    const all = await tasks();
    for (const cluster of ['workload-0', 'workload-1']) {
      const mine = all.filter((t) => t.clusterArn?.endsWith(`/${cluster}`));
      const running = (launchType: string) => mine.filter((t) => t.launchType === launchType && t.lastStatus === 'RUNNING').length;
      const card = `[data-cluster="${cluster}"]`;
      expect(await shows(`${card} [data-count=instances]`, '2 instances')).toBe('2 instances');
      expect(await shows(`${card} tr[data-launch-type=EC2] td[data-status=RUNNING]`, running('EC2'))).toBe(String(running('EC2')));
      expect(await shows(`${card} tr[data-launch-type=FARGATE] td[data-status=RUNNING]`, running('FARGATE'))).toBe(String(running('FARGATE')));
      expect(running('EC2') + running('FARGATE')).toBe(12);
    }
    await shoot('clusters');

    // The counts come from the summary: no task record was listed for them.
    const taskLists = requested.filter((url) => url.pathname === '/v1/tasks');
    expect(taskLists).toEqual([]);
    expect(requested.some((url) => url.pathname === '/v1/summary')).toBe(true);
  });

  it('draws the cluster map, marks draining and disconnected instances, and shows a task start and stop live', async () => {
    const [draining, disconnected] = (await instances()).filter((i) => i.clusterArn?.endsWith('/workload-0'));
    await store().upsertIfNewer([
      { kind: 'instance', record: { ...draining!, status: 'DRAINING', version: draining!.version + 1 } },
      { kind: 'instance', record: { ...disconnected!, agentConnected: false, version: disconnected!.version + 1 } },
    ]);
    await go('#/map/workload-0');
    const idOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
    await page.waitForSelector(`.instance.draining[data-instance-id="${idOf(draining!.containerInstanceArn)}"] .badge.draining`);
    await page.waitForSelector(`.instance.disconnected[data-instance-id="${idOf(disconnected!.containerInstanceArn)}"] .badge.disconnected`);
    const onMap = (await tasks()).filter((t) => t.clusterArn?.endsWith('/workload-0'));
    expect(await page.$$eval('.map .instances .task', (chips) => chips.length)).toBe(onMap.filter((t) => t.launchType === 'EC2').length);
    expect(await page.$$eval('.map .lane.fargate .task', (chips) => chips.length)).toBe(onMap.filter((t) => t.launchType === 'FARGATE').length);

    // A task starts on the draining instance's neighbour: written to the store, it comes onto the map live.
    const template = onMap.find((t) => t.launchType === 'EC2' && t.containerInstanceArn === disconnected!.containerInstanceArn) ?? onMap.find((t) => t.launchType === 'EC2')!;
    const id = `dash${randomUUID().replace(/-/g, '').slice(0, 28)}`;
    const started: TaskRecord = { ...template, taskArn: template.taskArn.replace(/[^/]+$/, id), lastStatus: 'RUNNING', version: 1, startedAt: new Date().toISOString() };
    const marker = await page.evaluateHandle(() => ((window as unknown as { marker: number }).marker = 1));
    await marker.dispose();
    await store().upsertIfNewer([{ kind: 'task', record: started }]);
    await page.waitForSelector(`.instance[data-instance-id="${idOf(template.containerInstanceArn!)}"] .task[data-task-id="${id}"]`, { timeout: LIVE_WAIT_MS });
    await shoot('map');
    // The map listed only its cluster, in one page; nothing asked for every task.
    const lists = (path: string) => requested.filter((url) => url.pathname === path).map((url) => [url.searchParams.get('cluster'), url.searchParams.get('limit')]);
    expect(lists('/v1/tasks')).toEqual([['workload-0', '1000']]);
    // (Besides the sign-in's probes of one instance.)
    expect(lists('/v1/instances').filter(([, limit]) => limit !== '1')).toEqual([['workload-0', '1000']]);

    await store().upsertIfNewer([{ kind: 'task', record: { ...started, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: 'Scaled in by the dashboard test', version: 2 } }]);
    await page.waitForFunction((taskId) => document.querySelector(`.map .task[data-task-id="${taskId}"]`) === null, { timeout: LIVE_WAIT_MS }, id);
    // Live, not reloaded.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);

    // The feed saw both changes.
    await go('#/changes');
    expect(await page.$$eval(`ol.feed li[data-id="${id}"] .status`, (items) => items.map((item) => item.textContent))).toEqual(['STOPPED', 'RUNNING']);
    const disconnectedId = idOf(disconnected!.containerInstanceArn);
    expect(await page.$$eval(`ol.feed li[data-id="${disconnectedId}"] .status`, (items) => items.map((item) => item.textContent))).toEqual(['ACTIVE · agent disconnected']);

    // Paused, the feed holds a change back and says so; resumed, it shows it.
    await page.click('button[data-action=pause]');
    await store().upsertIfNewer([{ kind: 'instance', record: { ...disconnected!, agentConnected: true, version: disconnected!.version + 2 } }]);
    await page.waitForFunction(() => document.querySelector('[data-role=held]')?.textContent === '1 new change held', { timeout: LIVE_WAIT_MS });
    expect(await page.$$eval(`ol.feed li[data-id="${disconnectedId}"]`, (items) => items.length)).toBe(1);
    await page.click('button[data-action=pause]');
    expect(await page.$$eval(`ol.feed li[data-id="${disconnectedId}"] .status`, (items) => items.map((item) => item.textContent))).toEqual(['ACTIVE', 'ACTIVE · agent disconnected']);
  });

  it("lists the cluster's services under its map: counts and the PRIMARY deployment's rollout, live", async () => {
    const clusterArn = (await instances()).find((i) => i.clusterArn?.endsWith('/workload-0'))!.clusterArn!;
    const account = clusterArn.split(':')[4]!;
    const definition = (revision: number) => `arn:aws:ecs:us-east-1:${account}:task-definition/web:${revision}`;
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const deployment = (id: string, status: string, rolloutState: string, revision: number, running: number) => ({
      id,
      status,
      rolloutState,
      taskDefinition: definition(revision),
      desiredCount: 2,
      runningCount: running,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: at(0),
      updatedAt: at(0),
    });
    /** A DescribeServices answer of `web`, merged as the reconciler merges one. */
    const describe = async (describedAt: string, running: number, deployments: object[], revision: number) => {
      const snapshot = serviceSnapshot(
        {
          serviceArn: `arn:aws:ecs:us-east-1:${account}:service/workload-0/web`,
          serviceName: 'web',
          clusterArn,
          status: 'ACTIVE',
          desiredCount: 2,
          runningCount: running,
          pendingCount: 0,
          launchType: 'EC2',
          taskDefinition: definition(revision),
          createdAt: at(-60_000),
          deployments,
        },
        describedAt,
      );
      if (!snapshot.ok) throw new Error(snapshot.message);
      const services = new ClusterStateStore({ client, prefix });
      await services.mergeServices([{ kind: 'service', record: snapshot.value }]);
    };
    const row = '.map table.services tr[data-service="web"]';
    const cells = () => page.$$eval(`${row} td`, (tds) => tds.map((td) => td.textContent));
    try {
      await describe(at(0), 2, [deployment('ecs-svc/1', 'PRIMARY', 'COMPLETED', 1, 2)], 1);
      await go('#/map/workload-0');
      await page.waitForSelector(row, { timeout: LIVE_WAIT_MS });
      expect(await cells()).toEqual(['web', 'ACTIVE', '2', '2', '0', 'COMPLETED', 'web:1']);

      // A new task definition rolling out: the row follows live, without a reload.
      await describe(at(1_000), 3, [deployment('ecs-svc/2', 'PRIMARY', 'IN_PROGRESS', 2, 1), deployment('ecs-svc/1', 'ACTIVE', 'COMPLETED', 1, 2)], 2);
      await page.waitForFunction((selector: string) => document.querySelector(`${selector} td[data-field=rollout]`)?.textContent === 'IN_PROGRESS', { timeout: LIVE_WAIT_MS }, row);
      expect(await cells()).toEqual(['web', 'ACTIVE', '2', '3', '0', 'IN_PROGRESS', 'web:2']);
      expect(await page.$eval(`${row} td[data-field=rollout]`, (td) => td.className)).toBe('warn');
      await shoot('map-services');
      // Listed by cluster (each time the map is shown), as the map's tasks and instances are.
      const lists = requested.filter((url) => url.pathname === '/v1/services').map((url) => url.searchParams.get('cluster'));
      expect(lists.length).toBeGreaterThan(0);
      expect(new Set(lists)).toEqual(new Set(['workload-0']));
    } finally {
      // Unknown to the simulator: out of the store before the reconcile test counts what a run removes.
      await client.delete().prefix(`${prefix}/services/`);
    }
  });

  it('filters and pages the task table through the API, sorts a page and opens a task with its stop reason', async () => {
    await go('#/tasks');
    await page.select('form.filters select[name=status]', 'RUNNING');
    await page.type('form.filters input[name=cluster]', 'workload-1');
    await page.select('form.filters select[name=limit]', '25');
    await page.click('form.filters button[data-action=apply]');
    await page.waitForFunction(() => document.querySelector('[data-role=page-status]')?.textContent?.startsWith('Page 1: 12 tasks'));
    const clusters = await page.$$eval('table.tasks td[data-column=cluster]', (cells) => [...new Set(cells.map((cell) => cell.textContent))]);
    expect(clusters).toEqual(['workload-1']);

    // Five a page: three pages, each a new set of tasks, the last without more.
    await page.select('form.filters select[name=limit]', '25');
    await page.evaluate(() => {
      const select = document.querySelector('form.filters select[name=limit]') as HTMLSelectElement;
      select.appendChild(new Option('5 per page', '5'));
      select.value = '5';
    });
    await page.click('form.filters button[data-action=apply]');
    const seen: string[] = [];
    for (const [n, size, more] of [[1, 5, true], [2, 5, true], [3, 2, false]] as const) {
      await page.waitForFunction((status: string) => document.querySelector('[data-role=page-status]')?.textContent?.startsWith(status), {}, `Page ${n}: ${size} tasks${more ? ', more follow' : ' ('}`);
      seen.push(...(await page.$$eval('table.tasks tbody tr', (rows) => rows.map((row) => (row as HTMLElement).dataset['taskId'] ?? ''))));
      if (more) await page.click('button[data-action=next]');
    }
    expect(new Set(seen).size).toBe(12);

    await page.click('button[data-action=previous]');
    await page.waitForFunction(() => document.querySelector('[data-role=page-status]')?.textContent?.startsWith('Page 2: 5 tasks'));
    await page.click('table.tasks th[data-sort=id]');
    await page.click('table.tasks th[data-sort=id]');
    const ids = await page.$$eval('table.tasks td[data-column=id]', (cells) => cells.map((cell) => cell.textContent ?? ''));
    expect(ids).toEqual([...ids].sort().reverse());
    await shoot('tasks');

    // The stopped task of the previous test, its stop reason a click away.
    await page.$eval('form.filters input[name=cluster]', (input) => ((input as HTMLInputElement).value = ''));
    await page.select('form.filters select[name=status]', 'STOPPED');
    await page.click('form.filters button[data-action=apply]');
    await page.waitForSelector('table.tasks tbody tr[data-task-id^="dash"]');
    await page.click('table.tasks tbody tr[data-task-id^="dash"]');
    await page.waitForSelector('dialog.task-details .stop-reason');
    expect(await text('dialog.task-details .stop-reason')).toContain('Scaled in by the dashboard test');
    expect(JSON.parse(await text('dialog.task-details pre.record'))).toMatchObject({ lastStatus: 'STOPPED', taskARN: expect.stringContaining('/dash') });
    await shoot('task-details');
    await page.click('dialog.task-details button.close');
  });

  it('starts a reconcile with the button and shows its drift report: the task the simulator never ran is removed', async () => {
    await go('#/reconcile');
    // The startup run is listed.
    await page.waitForSelector('details.run[data-state=completed]');
    await page.click('button[data-action=start-reconcile]');
    await page.waitForFunction(() => /^Run [0-9a-f-]{36} requested\.$/.test(document.querySelector('[data-role=reconcile-message]')?.textContent ?? ''));
    const runId = (await text('[data-role=reconcile-message]')).split(' ')[1]!;
    await page.waitForSelector(`details.run[data-run-id="${runId}"][data-state=completed]`, { timeout: 45_000 });
    await page.waitForSelector(`details.run[data-run-id="${runId}"][open] table.drift-report tr[data-cluster="workload-0"]`);
    expect(await page.$$eval('details.run', (runs) => runs.map((run) => (run as HTMLElement).dataset['runId']))).toHaveLength(2);
    // workload-0 had the extra task (removed) and the two instances written over (their ECS versions are older: left alone).
    const row = await text(`details.run[data-run-id="${runId}"] tr[data-cluster="workload-0"]`);
    expect(row).toContain('reconciled');
    expect(row).toMatch(/\+0 ~0 −1 =12/);
    await shoot('reconcile');

    // Its delete reached the feed as a tombstone.
    await go('#/changes');
    await page.waitForSelector('ol.feed li[data-deleted=true][data-id^="dash"]', { timeout: LIVE_WAIT_MS });
    await shoot('changes');
  });

  it('reconnects by itself after the api restarts and shows a change made while it was down', async () => {
    await go('#/map/workload-1');
    await api.kill();
    await page.waitForFunction(() => document.querySelector('[data-role=connection]')?.textContent === 'reconnecting…', { timeout: LIVE_WAIT_MS });
    const template = (await tasks()).find((t) => t.clusterArn?.endsWith('/workload-1') && t.launchType === 'FARGATE')!;
    const id = `down${randomUUID().replace(/-/g, '').slice(0, 28)}`;
    await store().upsertIfNewer([{ kind: 'task', record: { ...template, taskArn: template.taskArn.replace(/[^/]+$/, id), version: 1 } }]);
    api = apiProcess();
    await api.start();
    await page.waitForSelector(`.lane.fargate .task[data-task-id="${id}"]`, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('[data-role=connection]')?.textContent === 'live');
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    // Over the whole session, every task list named a cluster or was one page of the table.
    const unfiltered = requested.filter((url) => url.pathname === '/v1/tasks' && url.searchParams.get('cluster') === null && url.searchParams.get('limit') === null);
    expect(unfiltered).toEqual([]);
  });

  it('needs no sign-in when the api has no tokens, and says why it cannot start a reconcile then', async () => {
    await api.kill();
    api = apiProcess(null);
    await api.start();
    const context = await chromium.browser.createBrowserContext();
    try {
      const open = await context.newPage();
      await open.goto(`${base}/ui/#/reconcile`);
      await open.waitForSelector('details.run[data-state=completed]');
      expect(await open.$('form.login')).toBeNull();
      await open.click('button[data-action=start-reconcile]');
      await open.waitForFunction(() => document.querySelector('[data-role=reconcile-message]')?.textContent?.includes('refuses every request that changes something'));
    } finally {
      await context.close();
    }
  });
});
