/**
 * API benchmark: reads served by the api's in-memory view against the same
 * reads answered by one etcd read per request (the original's approach), and
 * stream delivery to many clients over the api's single etcd watch.
 *
 *   npx nx build api && npx tsx tools/bench/src/api-bench.ts [--api dist|tsx] [--concurrency 8]
 *     [--clusters 10] [--tasks-per-cluster 10000] [--stream-clients 1000] [--stream-warm-up-writes 40] [--stream-writes 200] [--stream-rate 20] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TaskRecord } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { ensureBinaries, ETCD, startEtcd } from '@ecs-state/local-services';
import { ServiceProcess } from './api-child-process';
import { apiCommand } from './api-command';
import { buildApiDataset, storeApiDataset } from './api-dataset';
import { runLoadInChild, type LoadResult } from './api-http-load';
import { ms } from './api-latency-stats';
import { etcdWatchers, machineInfo } from './api-machine';
import { markdownReport, targetsOf, type ApiBenchResult } from './api-report';
import { getPaths, listPaths } from './api-request-mix';
import { assertSameAnswers } from './api-same-answers';
import { measureDelivery, openStreamClients, streamWriteTasks } from './api-stream-delivery';
import { benchLog, positiveIntegerOption, runBench } from './shared/bench-cli';
import { benchKeyPrefix } from './bench-key-prefix';

const ROOT = join(__dirname, '../../..');
const PREFIX = benchKeyPrefix('/bench-api');
const STOPPED_EVERY = 5;

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', default: 'dist' },
    concurrency: { type: 'string', default: '8' },
    clusters: { type: 'string', default: '10' },
    'tasks-per-cluster': { type: 'string', default: '10000' },
    'get-requests': { type: 'string', default: '20000' },
    'list-requests': { type: 'string', default: '5000' },
    'etcd-get-requests': { type: 'string', default: '5000' },
    'etcd-list-requests': { type: 'string', default: '100' },
    'etcd-paged-list-requests': { type: 'string', default: '500' },
    'stream-clients': { type: 'string', default: '1000' },
    'stream-warm-up-writes': { type: 'string', default: '40' },
    'stream-writes': { type: 'string', default: '200' },
    'stream-rate': { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});
const int = (name: keyof typeof args): number => positiveIntegerOption(args, name);
const log = benchLog('api-bench');

function describe(name: string, r: LoadResult): void {
  log(`${name}: n=${r.count} p50 ${ms(r.p50)} ms p99 ${ms(r.p99)} ms max ${ms(r.max)} ms, ${Math.round(r.requestsPerSecond)} req/s, ${r.failures} errors${r.firstFailure ? ` (${r.firstFailure})` : ''}`);
}

interface RequestPlan {
  readonly gets: readonly string[];
  readonly lists: readonly string[];
  readonly pagedLists: readonly string[];
  readonly warmUp: { readonly apiGets: readonly string[]; readonly apiLists: readonly string[]; readonly etcdGets: readonly string[]; readonly etcdLists: readonly string[]; readonly etcdPagedLists: readonly string[] };
  /** The tasks the stream phase writes new versions of, in order. */
  readonly streamWrites: readonly TaskRecord[];
}

/**
 * Writes the dataset and keeps only the requests and the few tasks the
 * measurements use: the load generator shares its process (and its garbage
 * collector) with the measured requests, so it must not hold 100,000 records.
 */
async function storeDataset(store: ClusterStateStore): Promise<{ plan: RequestPlan; dataset: { tasks: number; clusters: number; instances: number }; storeSeconds: number }> {
  log('building the dataset from the simulator');
  const dataset = buildApiDataset({ clusters: int('clusters'), tasksPerCluster: int('tasks-per-cluster'), stoppedEvery: STOPPED_EVERY, seed: 7 });
  const storeStart = performance.now();
  await storeApiDataset(store, dataset.records);
  const storeSeconds = (performance.now() - storeStart) / 1000;
  log(`stored ${dataset.tasks.length} tasks and ${dataset.instances} instances in ${storeSeconds.toFixed(1)} s`);
  const { tasks, clusterArns } = dataset;
  const plan: RequestPlan = {
    gets: getPaths(tasks, int('get-requests'), 1),
    lists: listPaths(clusterArns, int('list-requests'), 2),
    pagedLists: listPaths(clusterArns, int('etcd-paged-list-requests'), 2, '/paged/v1/tasks'),
    warmUp: {
      apiGets: getPaths(tasks, 4000, 3),
      apiLists: listPaths(clusterArns, 1000, 4),
      etcdGets: getPaths(tasks, 1000, 5),
      etcdLists: listPaths(clusterArns, 20, 6),
      etcdPagedLists: listPaths(clusterArns, 200, 7, '/paged/v1/tasks'),
    },
    streamWrites: streamWriteTasks(tasks, int('stream-writes')),
  };
  return { plan, dataset: { tasks: tasks.length, clusters: clusterArns.length, instances: dataset.instances }, storeSeconds };
}

async function main(): Promise<void> {
  const concurrency = int('concurrency');
  const { etcd: etcdBinary } = ensureBinaries([ETCD]) as { etcd: string };
  const machine = machineInfo(etcdBinary);
  const clientsWanted = int('stream-clients');
  if (Number(machine.openFilesLimit) < 2 * clientsWanted + 500) {
    log(`warning: open files limit ${machine.openFilesLimit} is low for ${clientsWanted} stream clients; raise it (ulimit -n) before running`);
  }
  log(`machine: ${JSON.stringify(machine)}`);

  const etcd = await startEtcd();
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
  const store = new ClusterStateStore({ client, prefix: PREFIX });
  const services: ServiceProcess[] = [];
  try {
    const { plan, dataset, storeSeconds } = await storeDataset(store);

    const watchersBeforeApi = await etcdWatchers(etcd.endpoint);
    const env = { ETCD_ENDPOINTS: etcd.endpoint, ETCD_PREFIX: PREFIX };
    const apiStart = performance.now();
    const api = await ServiceProcess.start(
      'api',
      apiCommand(args.api),
      { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'), API_STREAM_MAX_CLIENTS: String(clientsWanted + 100) },
      'api listening',
      process.env['BENCH_API_OUTPUT'],
    );
    services.push(api);
    const apiStartSeconds = (performance.now() - apiStart) / 1000;
    const loadedMiB = api.memory().rssMiB;
    log(`api listening at ${api.url} after ${apiStartSeconds.toFixed(1)} s, RSS ${loadedMiB.toFixed(0)} MiB`);
    const baseline = await ServiceProcess.start(
      'etcd baseline',
      ['--import', 'tsx', join(__dirname, 'api-baseline-server.ts')],
      { ...env, PORT: '0', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
      'baseline listening',
    );
    services.push(baseline);

    const { gets, lists } = plan;
    await assertSameAnswers(api.url, baseline.url, [...gets.slice(0, 20), ...lists.slice(0, 5)]);
    log('the api and the etcd baseline give identical answers');

    // Each run warms up in its own load-generator process, then measures.
    const getApi = await runLoadInChild(api.url, plan.warmUp.apiGets, gets, concurrency);
    describe('get, api', getApi);
    const getEtcd = await runLoadInChild(baseline.url, plan.warmUp.etcdGets, gets.slice(0, int('etcd-get-requests')), concurrency);
    describe('get, etcd per request', getEtcd);
    const listApi = await runLoadInChild(api.url, plan.warmUp.apiLists, lists, concurrency);
    describe('list, api', listApi);
    const listEtcd = await runLoadInChild(baseline.url, plan.warmUp.etcdLists, lists.slice(0, int('etcd-list-requests')), concurrency);
    describe('list, etcd per request (whole range)', listEtcd);
    const pagedEtcd = await runLoadInChild(baseline.url, plan.warmUp.etcdPagedLists, plan.pagedLists, concurrency);
    describe('list, etcd per request (paged)', pagedEtcd);
    await baseline.stop();
    const afterReadsMiB = api.memory().rssMiB;

    log(`opening ${clientsWanted} stream clients`);
    const clients = await openStreamClients(api.url, clientsWanted);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ready = (await (await fetch(`${api.url}/readyz`)).json()) as { view: { streamClients: number } };
    const watchers = await etcdWatchers(etcd.endpoint);
    const withClientsMiB = api.memory().rssMiB;
    log(`${ready.view.streamClients} stream clients open; etcd watchers ${watchers} (before the api: ${watchersBeforeApi}); api RSS ${withClientsMiB.toFixed(0)} MiB`);
    const delivery = await measureDelivery({
      etcdEndpoint: etcd.endpoint,
      prefix: PREFIX,
      tasks: plan.streamWrites,
      warmUpWrites: int('stream-warm-up-writes'),
      writes: int('stream-writes'),
      ratePerSecond: int('stream-rate'),
      clients,
    });
    log(
      `stream delivery: ${delivery.count} deliveries, ${delivery.missing} missing, p50 ${ms(delivery.p50)} ms p99 ${ms(delivery.p99)} ms max ${ms(delivery.max)} ms; ` +
        `etcd Put answered p50 ${ms(delivery.etcdPut.p50)} ms p99 ${ms(delivery.etcdPut.p99)} ms; ` +
        `after etcd's answer p50 ${ms(delivery.afterCommit.p50)} ms p99 ${ms(delivery.afterCommit.p99)} ms`,
    );
    const after = api.memory();
    clients.close();

    const result: ApiBenchResult = {
      date: new Date().toISOString().slice(0, 10),
      command: `npx tsx tools/bench/src/api-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      dataset: { ...dataset, stoppedShare: 1 / STOPPED_EVERY, storeSeconds },
      apiStartSeconds,
      concurrency,
      get: { api: getApi, etcd: getEtcd },
      list: { api: listApi, etcd: listEtcd, etcdPaged: pagedEtcd },
      stream: { ...delivery, etcdWatchersBeforeApi: watchersBeforeApi, etcdWatchers: watchers, streamClientsSeen: ready.view.streamClients },
      memory: { loadedMiB, afterReadsMiB, withClientsMiB, afterStreamMiB: after.rssMiB, peakMiB: after.peakMiB },
    };
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(markdownReport(result));
    const failed = targetsOf(result).filter((t) => !t.ok);
    log(failed.length === 0 ? 'every target met' : `targets not met: ${failed.map((t) => t.name).join('; ')}`);
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await store.close();
    client.close();
    await etcd.stop();
  }
}

runBench(main);
