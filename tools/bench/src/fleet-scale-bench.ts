/**
 * Fleet scale benchmark: for each fleet size, etcd filled with the store's batch upsert,
 * the floor of an initial load (a bare etcd3 client reading every key), a new api process's
 * time to ready and its memory, then reads at one connection against per-request etcd reads.
 *
 *   npx nx build api && npx tsx tools/bench/src/fleet-scale-bench.ts [--sizes 100000,250000,500000]
 *     [--clusters 10] [--tasks-per-instance 100] [--profile none|cpu|heap] [--pin none|api] [--api dist|tsx]
 *     [--client-node-args=--max-semi-space-size=64] [--json out.json]
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseKeyPrefix } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { ensureBinaries, ETCD, startEtcd, type EtcdServer } from '@ecs-state/local-services';
import { ServiceProcess } from './api-child-process';
import { apiCommand } from './api-command';
import { buildApiDataset, storeApiDataset } from './api-dataset';
import { runLoadInChild, type LoadResult } from './api-http-load';
import { ms } from './api-latency-stats';
import { getPaths, listPaths } from './api-request-mix';
import { assertSameAnswers } from './api-same-answers';
import { pidWithArgument, pinProcess } from './cpu-pinning';
import { bestFloor } from './fleet-floor';
import { fleetReport, fleetTargets, type FleetBenchResult, type FleetSizeResult } from './fleet-report';
import { parseGcTrace, summarizeGc, type GcSummary } from './gc-trace';
import { benchLog, positiveIntegerOption } from './shared/bench-cli';
import { describeMachine, machineSummary } from './shared/machine';
import { readProfile, topAllocations, topSelfTime } from './v8-profile-summary';

const ROOT = join(__dirname, '../../..');
const PREFIX = '/bench-fleet';
const STOPPED_EVERY = 5;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,250000,500000' },
    clusters: { type: 'string', default: '10' },
    'tasks-per-instance': { type: 'string', default: '100' },
    'get-requests': { type: 'string', default: '20000' },
    'list-requests': { type: 'string', default: '5000' },
    'etcd-get-requests': { type: 'string', default: '5000' },
    'etcd-paged-list-requests': { type: 'string', default: '500' },
    'floor-page-sizes': { type: 'string', default: '1000,5000' },
    'client-node-args': { type: 'string', default: '' },
    profile: { type: 'string', default: 'none' },
    pin: { type: 'string', default: 'none' },
    api: { type: 'string', default: 'dist' },
    json: { type: 'string' },
  },
});
const int = (name: keyof typeof args): number => positiveIntegerOption(args, name);
const log = benchLog('fleet-bench');
const listOf = (value: string | undefined): number[] => (value ?? '').split(',').map((v) => positiveIntegerOption({ v }, 'v'));
/** Node.js flags of the load generators, e.g. a larger young generation so that they collect less often. */
const clientNodeArgs = (args['client-node-args'] ?? '').split(/\s+/).filter((a) => a !== '');

if (!['none', 'cpu', 'heap'].includes(args.profile)) throw new Error('--profile must be none, cpu or heap');
if (!['none', 'api'].includes(args.pin)) throw new Error('--pin must be none or api');

interface Plan {
  readonly gets: readonly string[];
  readonly lists: readonly string[];
  readonly pagedLists: readonly string[];
  readonly warmUp: { readonly apiGets: readonly string[]; readonly apiLists: readonly string[]; readonly etcdGets: readonly string[]; readonly etcdPagedLists: readonly string[] };
}

/** Builds and stores the fleet, keeping only the request paths: this process then holds no records. */
async function fill(store: ClusterStateStore, tasks: number): Promise<{ plan: Plan; instances: number; clusters: number; buildSeconds: number; fillSeconds: number }> {
  const clusters = int('clusters');
  const tasksPerCluster = Math.ceil(tasks / clusters);
  const instancesPerCluster = Math.max(1, Math.round(tasksPerCluster / int('tasks-per-instance')));
  const buildStart = performance.now();
  const dataset = buildApiDataset({ clusters, tasksPerCluster, instancesPerCluster, stoppedEvery: STOPPED_EVERY, seed: 11 });
  const buildSeconds = (performance.now() - buildStart) / 1000;
  log(`built ${dataset.tasks.length} tasks and ${dataset.instances} instances in ${buildSeconds.toFixed(1)} s`);
  const fillStart = performance.now();
  await storeApiDataset(store, dataset.records);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  log(`stored them in ${fillSeconds.toFixed(1)} s`);
  const { tasks: taskRecords, clusterArns } = dataset;
  return {
    plan: {
      gets: getPaths(taskRecords, int('get-requests'), 1),
      lists: listPaths(clusterArns, int('list-requests'), 2),
      pagedLists: listPaths(clusterArns, int('etcd-paged-list-requests'), 2, '/paged/v1/tasks'),
      warmUp: {
        apiGets: getPaths(taskRecords, 4000, 3),
        apiLists: listPaths(clusterArns, 1000, 4),
        etcdGets: getPaths(taskRecords, 1000, 5),
        etcdPagedLists: listPaths(clusterArns, 100, 7, '/paged/v1/tasks'),
      },
    },
    instances: dataset.instances,
    clusters: clusterArns.length,
    buildSeconds,
    fillSeconds,
  };
}

/** The api's --trace-gc lines written to its output file between two offsets. */
function gcBetween(file: string, from: number, to: number): GcSummary {
  return summarizeGc(parseGcTrace(readFileSync(file).subarray(from, to).toString('utf8')));
}

const fileSize = (file: string): number => statSync(file).size;

async function untilReady(url: string, started: number): Promise<number> {
  for (;;) {
    const response = await fetch(`${url}/readyz`).catch(() => undefined);
    if (response?.status === 200) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const apiEnv = (etcd: EtcdServer) => ({
  ETCD_ENDPOINTS: etcd.endpoint,
  ETCD_PREFIX: PREFIX,
  PORT: '0',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'info',
  TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json'),
});

/** A separate start of the api under a profiler, stopped once ready: the profile is the load alone. */
async function profileLoad(etcd: EtcdServer, kind: 'cpu' | 'heap'): Promise<NonNullable<FleetSizeResult['profile']>> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-prof-'));
  try {
    const flags = kind === 'cpu' ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : ['--heap-prof', `--heap-prof-dir=${dir}`];
    const started = performance.now();
    const api = await ServiceProcess.start('api (profiled)', [...flags, ...apiCommand(args.api)], apiEnv(etcd), 'api listening');
    const seconds = await untilReady(api.url, started);
    log(`profiled api ready after ${seconds.toFixed(1)} s`);
    await api.stop();
    if (kind === 'cpu') {
      const { totalMs, entries } = topSelfTime(readProfile(dir, '.cpuprofile'), 20);
      return { kind, total: totalMs, entries };
    }
    const { totalBytes, entries } = topAllocations(readProfile(dir, '.heapprofile'), 20);
    return { kind, total: totalBytes, entries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function describe(name: string, r: LoadResult): void {
  log(`${name}: n=${r.count} p50 ${ms(r.p50)} ms p99 ${ms(r.p99)} ms max ${ms(r.max)} ms, ${Math.round(r.requestsPerSecond)} req/s, ${r.failures} errors${r.firstFailure ? ` (${r.firstFailure})` : ''}`);
}

async function measureSize(tasks: number, outDir: string): Promise<FleetSizeResult> {
  const pin = args.pin === 'api';
  const etcd = await startEtcd();
  if (pin) pinProcess(pidWithArgument(etcd.dataDir), '0');
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
  const prefix = parseKeyPrefix(PREFIX);
  if (!prefix.ok) throw new Error(prefix.message);
  const store = new ClusterStateStore({ client, prefix: prefix.value });
  const services: ServiceProcess[] = [];
  try {
    log(`${tasks} tasks: building and storing the fleet`);
    const { plan, instances, clusters, buildSeconds, fillSeconds } = await fill(store, tasks);
    const { best: floor, all: floors } = await bestFloor(etcd.endpoint, `${PREFIX}/`, listOf(args['floor-page-sizes']));
    log(`floor: ${floors.map((f) => `${f.seconds.toFixed(2)} s in pages of ${f.pageSize}`).join(', ')}; ${floor.keys} keys, ${(floor.valueBytes / 2 ** 20).toFixed(0)} MiB of values`);

    const output = join(outDir, `api-${tasks}.log`);
    writeFileSync(output, '');
    const started = performance.now();
    const api = await ServiceProcess.start('api', ['--trace-gc', ...apiCommand(args.api)], apiEnv(etcd), 'api listening', output);
    services.push(api);
    const apiListenSeconds = (performance.now() - started) / 1000;
    const apiReadySeconds = await untilReady(api.url, started);
    const loadedAt = fileSize(output);
    const { rssMiB, peakMiB } = api.memory();
    log(`api listening after ${apiListenSeconds.toFixed(1)} s, ready after ${apiReadySeconds.toFixed(1)} s; RSS ${rssMiB.toFixed(0)} MiB, peak ${peakMiB.toFixed(0)} MiB`);
    const loadGc = gcBetween(output, 0, loadedAt);
    if (pin) pinProcess(api.pid, '1');

    const baseline = await ServiceProcess.start(
      'etcd baseline',
      ['--import', 'tsx', join(__dirname, 'api-baseline-server.ts')],
      { ETCD_ENDPOINTS: etcd.endpoint, ETCD_PREFIX: PREFIX, PORT: '0', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
      'baseline listening',
    );
    services.push(baseline);
    await assertSameAnswers(api.url, baseline.url, [...plan.gets.slice(0, 20), ...plan.lists.slice(0, 5)]);

    // One connection: each latency is one request alone, the api's own path plus the loopback.
    const beforeGets = fileSize(output);
    const getApi = await runLoadInChild(api.url, plan.warmUp.apiGets, plan.gets, 1, clientNodeArgs);
    const getApiGc = gcBetween(output, beforeGets, fileSize(output));
    describe('get, api', getApi);
    const getEtcd = await runLoadInChild(baseline.url, plan.warmUp.etcdGets, plan.gets.slice(0, int('etcd-get-requests')), 1, clientNodeArgs);
    describe('get, etcd per request', getEtcd);
    const beforeLists = fileSize(output);
    const listApi = await runLoadInChild(api.url, plan.warmUp.apiLists, plan.lists, 1, clientNodeArgs);
    const listApiGc = gcBetween(output, beforeLists, fileSize(output));
    describe('list, api', listApi);
    const pagedEtcd = await runLoadInChild(baseline.url, plan.warmUp.etcdPagedLists, plan.pagedLists, 1, clientNodeArgs);
    describe('list, paged etcd reads', pagedEtcd);
    for (const service of services.splice(0).reverse()) await service.stop();

    const profile = args.profile === 'none' ? undefined : await profileLoad(etcd, args.profile as 'cpu' | 'heap');
    return {
      tasks,
      instances,
      clusters,
      buildSeconds,
      fillSeconds,
      floor,
      floors,
      apiListenSeconds,
      apiReadySeconds,
      rssMiB,
      peakMiB,
      loadGc,
      get: { api: getApi, etcd: getEtcd, apiGc: getApiGc },
      list: { api: listApi, etcdPaged: pagedEtcd, apiGc: listApiGc },
      pinned: pin,
      clientNodeArgs,
      ...(profile === undefined ? {} : { profile }),
    };
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await store.close();
    client.close();
    await etcd.stop();
  }
}

async function main(): Promise<void> {
  const { etcd: etcdBinary } = ensureBinaries([ETCD]) as { etcd: string };
  const machine = machineSummary(describeMachine(etcdBinary));
  log(`machine: ${machine}`);
  // The load generators and the baseline are this process's children and inherit its core.
  if (args.pin === 'api') pinProcess(process.pid, '0');
  const outDir = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  log(`api output (logs, --trace-gc) in ${outDir}`);
  const sizes: FleetSizeResult[] = [];
  for (const tasks of listOf(args.sizes)) {
    sizes.push(await measureSize(tasks, outDir));
    // Each size's figures are kept as soon as they exist: a later, larger size may take long or fail.
    const partial: FleetBenchResult = {
      date: new Date().toISOString().slice(0, 10),
      command: `npx tsx tools/bench/src/fleet-scale-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      sizes,
    };
    if (args.json) writeFileSync(args.json, `${JSON.stringify(partial, null, 2)}\n`);
    log(`${tasks} tasks done`);
    if (sizes.length === listOf(args.sizes).length) {
      console.log(fleetReport(partial));
      const missed = fleetTargets(partial).filter((t) => !t.ok);
      log(missed.length === 0 ? 'every target met' : `targets missed: ${missed.map((t) => t.name).join('; ')}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
