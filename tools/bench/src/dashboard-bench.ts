// The functions passed to page.waitForFunction and page.evaluate run in the page.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Web dashboard benchmark: the page the api serves under /ui, in headless Chromium,
 * against the api holding 100,000 tasks in etcd.
 *
 *   npx nx build api && npx tsx tools/bench/src/dashboard-bench.ts [--api dist|tsx]
 *     [--clusters 10] [--tasks-per-cluster 10000] [--live-writes 10] [--json out.json]
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskRecord } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { ensureBinaries, ETCD, launchChromium, startEtcd, type HeadlessBrowser } from '@ecs-state/local-services';
import type { Page } from 'puppeteer-core';
import { ServiceProcess } from './api-child-process';
import { apiCommand } from './api-command';
import { buildApiDataset, storeApiDataset } from './api-dataset';
import { PageBytes } from './dashboard-page-bytes';
import { benchLog, positiveIntegerOption, runBench } from './shared/bench-cli';
import { describeMachine, machineSummary } from './shared/machine';
import { markdownTable } from './shared/markdown-table';
import { percentile } from './shared/percentile';
import { benchKeyPrefix } from './bench-key-prefix';

const ROOT = join(__dirname, '../../..');
const PREFIX = benchKeyPrefix('/bench-dashboard');
const STOPPED_EVERY = 5;
/** Longer than any step should take; a step that takes it fails the run. */
const STEP_TIMEOUT_MS = 120_000;

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', default: 'dist' },
    clusters: { type: 'string', default: '10' },
    'tasks-per-cluster': { type: 'string', default: '10000' },
    'live-writes': { type: 'string', default: '10' },
    json: { type: 'string' },
  },
});
const int = (name: keyof typeof args): number => positiveIntegerOption(args, name);
const log = benchLog('dashboard-bench');
const nameOf = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);
const mib = (bytes: number) => bytes / 2 ** 20;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

/** The Clusters view once it shows every cluster's card and the task counts add up to the whole dataset. */
async function clustersShown(page: Page, clusters: number, tasks: number): Promise<void> {
  await page.waitForFunction(
    (n: number, total: number) => {
      const cards = document.querySelectorAll('section[data-view="clusters"]:not([hidden]) article.card[data-cluster]');
      const counted = [...document.querySelectorAll('section[data-view="clusters"] article.card td[data-status="total"]')].reduce((sum, cell) => sum + Number(cell.textContent), 0);
      return cards.length === n && counted === total;
    },
    { timeout: STEP_TIMEOUT_MS, polling: 'mutation' },
    clusters,
    tasks,
  );
}

/** The Cluster map of `cluster` once every instance is drawn and its tasks on the map (instances' boxes, Fargate, unplaced) add up to `tasks`. */
async function mapShown(page: Page, cluster: string, instances: number, tasks: number): Promise<void> {
  await page.waitForFunction(
    (name: string, wantedInstances: number, wanted: number) => {
      const map = [...document.querySelectorAll('section[data-view="map"]:not([hidden]) .map')].find((m) => m.getAttribute('data-cluster') === name);
      if (map === undefined) return false;
      const boxes = map.querySelectorAll('.instance');
      const onInstances = [...boxes].reduce((sum, box) => sum + Number(/(\d+) tasks/.exec(box.querySelector('header')?.textContent ?? '')?.[1] ?? 0), 0);
      const lanes = [...map.querySelectorAll('h3')].map((h3) => h3.textContent ?? '').filter((text) => !text.startsWith('EC2'));
      const inLanes = lanes.reduce((sum, text) => sum + Number(/\((\d+)\)/.exec(text)?.[1] ?? 0), 0);
      return boxes.length === wantedInstances && onInstances + inLanes === wanted;
    },
    { timeout: STEP_TIMEOUT_MS, polling: 'mutation' },
    cluster,
    instances,
    tasks,
  );
}

interface Stage {
  readonly name: string;
  readonly seconds: number;
  readonly pageBytes: number;
  readonly heapMiB: number;
  readonly apiRssMiB: number;
}

async function main(): Promise<void> {
  const { etcd: etcdBinary } = ensureBinaries([ETCD]) as { etcd: string };
  const machine = describeMachine(etcdBinary);
  log(`machine: ${machineSummary(machine)}`);
  const etcd = await startEtcd();
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
  const store = new ClusterStateStore({ client, prefix: PREFIX });
  const token = `bench-${randomUUID()}`;
  let api: ServiceProcess | undefined;
  let chromium: HeadlessBrowser | undefined;
  let browserVersion = '';
  try {
    log('building the dataset from the simulator');
    const dataset = buildApiDataset({ clusters: int('clusters'), tasksPerCluster: int('tasks-per-cluster'), stoppedEvery: STOPPED_EVERY, seed: 7 });
    const storeStart = performance.now();
    await storeApiDataset(store, dataset.records);
    log(`stored ${dataset.tasks.length} tasks and ${dataset.instances} instances in ${((performance.now() - storeStart) / 1000).toFixed(1)} s`);
    const clusterNames = [...new Set(dataset.clusterArns.map(nameOf))];
    const mapCluster = clusterNames.sort()[0]!;
    const mapTasks = dataset.tasks.filter((t) => nameOf(t.clusterArn ?? '') === mapCluster);
    const onMap = mapTasks.filter((t) => t.lastStatus !== 'STOPPED');
    const mapInstances = dataset.records.filter((r) => r.kind === 'instance' && nameOf(r.record.clusterArn ?? '') === mapCluster).length;
    const templates = onMap.filter((t) => t.launchType === 'EC2' && t.containerInstanceArn);
    const totalTasks = dataset.tasks.length;

    api = await ServiceProcess.start(
      'api',
      apiCommand(args.api),
      { ETCD_ENDPOINTS: etcd.endpoint, ETCD_PREFIX: PREFIX, API_TOKENS: token, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
      'api listening',
      process.env['BENCH_API_OUTPUT'],
    );
    const apiLoadedMiB = api.memory().rssMiB;
    log(`api listening at ${api.url}, RSS ${apiLoadedMiB.toFixed(0)} MiB`);

    chromium = await launchChromium();
    browserVersion = await chromium.browser.version();
    log(`browser: ${browserVersion}`);
    const page = await chromium.browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    const bytes = await PageBytes.watch(page);
    const heapMiB = async () => mib((await page.metrics()).JSHeapUsedSize ?? Number.NaN);
    const stages: Stage[] = [];
    const stage = async (name: string, seconds: number, bytesBefore: number) => {
      // The heap as the page holds it, not with the garbage of loading still in it.
      const session = await page.createCDPSession();
      await session.send('HeapProfiler.collectGarbage');
      await session.detach();
      const s: Stage = { name, seconds, pageBytes: bytes.total().bytes - bytesBefore, heapMiB: await heapMiB(), apiRssMiB: api!.memory().rssMiB };
      stages.push(s);
      log(`${name}: ${s.seconds.toFixed(2)} s, ${(s.pageBytes / 1024).toFixed(0)} KiB, page JS heap ${s.heapMiB.toFixed(1)} MiB, api RSS ${s.apiRssMiB.toFixed(0)} MiB`);
    };

    // 1. First visit: the sign-in form, the token, the counts.
    const navigated = performance.now();
    await page.goto(`${api.url}/ui/`);
    await page.waitForSelector('form.login', { timeout: STEP_TIMEOUT_MS });
    const signInShown = performance.now();
    await page.type('#token', token);
    const submitted = performance.now();
    await page.click('form.login button[type=submit]');
    await clustersShown(page, clusterNames.length, totalTasks);
    const countsShown = performance.now();
    const firstVisit = bytes.total();
    await stage('first visit: navigation to counts shown (sign-in included)', (countsShown - navigated) / 1000, 0);
    const signIn = { toFormSeconds: (signInShown - navigated) / 1000, typingSeconds: (submitted - signInShown) / 1000, submitToCountsSeconds: (countsShown - submitted) / 1000 };
    log(`sign-in form after ${signIn.toFormSeconds.toFixed(2)} s; counts ${signIn.submitToCountsSeconds.toFixed(2)} s after submitting`);

    // 2. Reload, signed in (the token is in the tab's session): navigation to counts.
    const beforeReload = bytes.total().bytes;
    const reloaded = performance.now();
    await page.reload();
    await clustersShown(page, clusterNames.length, totalTasks);
    await stage('reload, signed in: navigation to counts shown', (performance.now() - reloaded) / 1000, beforeReload);

    // 3. The Cluster map of one cluster.
    const beforeMap = bytes.total().bytes;
    const mapOpened = performance.now();
    await page.evaluate((route) => (location.hash = route), `#/map/${encodeURIComponent(mapCluster)}`);
    await mapShown(page, mapCluster, mapInstances, onMap.length);
    await stage(`Cluster map of ${mapCluster} (${mapTasks.length.toLocaleString('en-US')} tasks, ${onMap.length.toLocaleString('en-US')} not stopped): hash change to map shown`, (performance.now() - mapOpened) / 1000, beforeMap);

    // 4. Task starts written to etcd as the ingestor writes them, until each is on the map.
    // The map draws the 80 oldest tasks of a box, so a new task is given the oldest start
    // time to be drawn as a chip (and not only counted in "+N more").
    const fromIssue: number[] = [];
    const fromCommit: number[] = [];
    const beforeLive = bytes.total().bytes;
    for (let i = 0; i < int('live-writes'); i++) {
      const template = templates[(i * 97) % templates.length]!;
      const id = `bench${randomUUID().replace(/-/g, '').slice(0, 27)}`;
      const started: TaskRecord = { ...template, taskArn: template.taskArn.replace(/[^/]+$/, id), lastStatus: 'RUNNING', desiredStatus: 'RUNNING', version: 1, startedAt: new Date(Date.UTC(2000, 0, 1, 0, 0, i)).toISOString() };
      const issued = performance.now();
      const outcomes = await store.upsert([{ kind: 'task', record: started }]);
      const committed = performance.now();
      if (outcomes[0]?.status !== 'applied') throw new Error(`the task was not written: ${JSON.stringify(outcomes[0])}`);
      await page.waitForSelector(`.map .instance[data-instance-id="${nameOf(template.containerInstanceArn!)}"] .task[data-task-id="${id}"]`, { timeout: STEP_TIMEOUT_MS });
      const seen = performance.now();
      fromIssue.push(seen - issued);
      fromCommit.push(seen - committed);
      await sleep(500);
    }
    const live = {
      writes: fromIssue.length,
      fromIssueMs: { p50: percentile(fromIssue, 50), max: Math.max(...fromIssue) },
      fromCommitMs: { p50: percentile(fromCommit, 50), max: Math.max(...fromCommit) },
    };
    log(`live: ${live.writes} task starts on the map, after etcd's answer p50 ${live.fromCommitMs.p50.toFixed(0)} ms max ${live.fromCommitMs.max.toFixed(0)} ms`);
    await stage(`after ${live.writes} live task starts on the map`, 0, beforeLive);
    const apiAfter = api.memory();
    await bytes.stop();

    const result = {
      date: machine.date,
      command: `npx tsx tools/bench/src/dashboard-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      browser: browserVersion,
      dataset: { tasks: totalTasks, clusters: clusterNames.length, instances: dataset.instances, stoppedShare: 1 / STOPPED_EVERY },
      signIn,
      firstVisitBytesByPath: firstVisit.byPath,
      stages,
      live,
      api: { loadedMiB: apiLoadedMiB, afterMiB: apiAfter.rssMiB, peakMiB: apiAfter.peakMiB },
    };
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Machine: ${machineSummary(machine)}; ${browserVersion}\n`);
    console.log(`Dataset: ${totalTasks.toLocaleString('en-US')} tasks in ${clusterNames.length} clusters, ${dataset.instances} container instances\n`);
    console.log(
      markdownTable(
        ['step', 'time (s)', 'bytes to the page (KiB)', 'page JS heap after (MiB)', 'api RSS after (MiB)'],
        stages.map((s) => [s.name, s.seconds.toFixed(2), (s.pageBytes / 1024).toFixed(0), s.heapMiB.toFixed(1), s.apiRssMiB.toFixed(0)]),
      ),
    );
    console.log(`\nFirst visit: sign-in form after ${signIn.toFormSeconds.toFixed(2)} s, counts ${signIn.submitToCountsSeconds.toFixed(2)} s after submitting the token.`);
    console.log(`First visit bytes by path: ${Object.entries(firstVisit.byPath).map(([path, n]) => `${path} ${(n / 1024).toFixed(1)} KiB`).join(', ')}`);
    console.log(
      `Live task start, write to chip on the map (${live.writes} writes): from etcd's answer p50 ${live.fromCommitMs.p50.toFixed(0)} ms, max ${live.fromCommitMs.max.toFixed(0)} ms; from issuing the write p50 ${live.fromIssueMs.p50.toFixed(0)} ms, max ${live.fromIssueMs.max.toFixed(0)} ms`,
    );
    console.log(`api RSS: ${apiLoadedMiB.toFixed(0)} MiB loaded, ${apiAfter.rssMiB.toFixed(0)} MiB at the end, peak ${apiAfter.peakMiB.toFixed(0)} MiB`);
  } finally {
    await chromium?.close();
    await api?.stop().catch(() => undefined);
    await store.close();
    client.close();
    await etcd.stop();
  }
}

runBench(main);
