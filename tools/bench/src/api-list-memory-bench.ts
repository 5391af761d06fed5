/**
 * Memory of lists without limit: the api's RSS while it writes every task (100,000 by default)
 * to a slow reader, compared with its RSS just before; then one cluster's tasks to the same
 * slow reader, every task to it again, and every task to a reader that takes the body as fast
 * as it comes.
 *
 *   npx nx build api && npx tsx tools/bench/src/api-list-memory-bench.ts [--api dist|tsx]
 *     [--clusters 10] [--tasks-per-cluster 10000] [--read-bytes 65536] [--read-interval-ms 10] [--json out.json]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { ensureBinaries, ETCD, startEtcd } from '@ecs-state/local-services';
import { ServiceProcess } from './api-child-process';
import { apiCommand } from './api-command';
import { buildApiDataset, storeApiDataset } from './api-dataset';
import { readList, type ListRead, type ReadPace } from './api-list-reader';
import { machineInfo, type MachineInfo } from './api-machine';
import { markdownTable } from './shared/markdown-table';
import { benchLog, positiveIntegerOption, runBench } from './shared/bench-cli';
import { benchKeyPrefix } from './bench-key-prefix';

const ROOT = join(__dirname, '../../..');
const PREFIX = benchKeyPrefix('/bench-api-list');
const SAMPLE_MS = 20;
const SETTLE_MS = 3000;

const { values: args } = parseArgs({
  options: {
    api: { type: 'string', default: 'dist' },
    clusters: { type: 'string', default: '10' },
    'tasks-per-cluster': { type: 'string', default: '10000' },
    'read-bytes': { type: 'string', default: '65536' },
    'read-interval-ms': { type: 'string', default: '10' },
    json: { type: 'string' },
  },
});
const int = (name: keyof typeof args): number => positiveIntegerOption(args, name);
const log = benchLog('api-list-bench');

interface ListRun {
  readonly name: string;
  readonly path: string;
  readonly expectedItems: number;
  readonly reader: string;
  readonly read: ListRead;
  readonly rssBeforeMiB: number;
  /** VmHWM after it was reset just before the request: the highest RSS while the list was written. */
  readonly peakMiB: number;
  /** The highest of the RSS samples taken every SAMPLE_MS (a check on the peak). */
  readonly sampledPeakMiB: number;
  readonly rssAfterMiB: number;
}

interface ListMemoryResult {
  readonly date: string;
  readonly command: string;
  readonly machine: MachineInfo;
  readonly tasks: number;
  readonly rssLoadedMiB: number;
  readonly runs: readonly ListRun[];
}

async function measure(api: ServiceProcess, name: string, path: string, expectedItems: number, pace: ReadPace): Promise<ListRun> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const rssBeforeMiB = api.memory().rssMiB;
  api.resetPeakMemory();
  let sampledPeakMiB = rssBeforeMiB;
  const sampler = setInterval(() => (sampledPeakMiB = Math.max(sampledPeakMiB, api.memory().rssMiB)), SAMPLE_MS);
  const reader = pace === null ? 'as fast as it arrives' : `${pace.bytes / 1024} KiB every ${pace.intervalMs} ms`;
  log(`${name}: GET ${path}, reader ${reader}, api RSS ${rssBeforeMiB.toFixed(0)} MiB`);
  let read: ListRead;
  try {
    read = await readList(`${api.url}${path}`, pace);
  } finally {
    clearInterval(sampler);
  }
  const after = api.memory();
  const run: ListRun = { name, path, expectedItems, reader, read, rssBeforeMiB, peakMiB: after.peakMiB, sampledPeakMiB, rssAfterMiB: after.rssMiB };
  log(
    `${name}: ${read.items} items, ${(read.bytes / 2 ** 20).toFixed(1)} MiB in ${read.seconds.toFixed(1)} s; ` +
      `peak RSS ${run.peakMiB.toFixed(0)} MiB (sampled ${sampledPeakMiB.toFixed(0)}), +${(run.peakMiB - rssBeforeMiB).toFixed(0)} MiB over before`,
  );
  const problems = [
    read.status !== 200 ? `status ${read.status}` : '',
    read.items !== expectedItems ? `${read.items} items, expected ${expectedItems}` : '',
    read.bytes !== read.contentLength ? `${read.bytes} bytes, Content-Length ${read.contentLength}` : '',
    read.wellFormedEnd ? '' : 'the body does not end with the revision of its header',
  ].filter((p) => p !== '');
  if (problems.length > 0) throw new Error(`${name}: ${problems.join('; ')}`);
  return run;
}

function report(r: ListMemoryResult): string {
  const mib = (n: number) => n.toFixed(0);
  const rows = r.runs.map((run) => [
    run.name,
    run.read.items.toLocaleString('en-US'),
    `${(run.read.bytes / 2 ** 20).toFixed(1)} MiB`,
    run.reader,
    `${run.read.seconds.toFixed(1)} s`,
    mib(run.rssBeforeMiB),
    `${mib(run.peakMiB)} (sampled ${mib(run.sampledPeakMiB)})`,
    `+${mib(run.peakMiB - run.rssBeforeMiB)}`,
    mib(run.rssAfterMiB),
  ]);
  return [
    `Date: ${r.date}. Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}, etcd ${r.machine.etcd}.`,
    `Command: \`${r.command}\``,
    `Dataset: ${r.tasks.toLocaleString('en-US')} tasks; api RSS once loaded: ${mib(r.rssLoadedMiB)} MiB.`,
    '',
    markdownTable(['run', 'items', 'body', 'reader', 'time', 'RSS before (MiB)', 'peak RSS while written (MiB)', 'peak − before (MiB)', 'RSS after (MiB)'], rows),
  ].join('\n');
}

async function main(): Promise<void> {
  const { etcd: etcdBinary } = ensureBinaries([ETCD]) as { etcd: string };
  const machine = machineInfo(etcdBinary);
  log(`machine: ${JSON.stringify(machine)}`);
  const etcd = await startEtcd();
  const client = createEtcdClient(loadEtcdConfig({ ETCD_ENDPOINTS: etcd.endpoint }));
  const store = new ClusterStateStore({ client, prefix: PREFIX });
  let api: ServiceProcess | undefined;
  try {
    log('building the dataset from the simulator');
    const dataset = buildApiDataset({ clusters: int('clusters'), tasksPerCluster: int('tasks-per-cluster'), stoppedEvery: 5, seed: 7 });
    await storeApiDataset(store, dataset.records);
    const tasks = dataset.tasks.length;
    const firstCluster = dataset.clusterArns[0] ?? '';
    const firstClusterTasks = dataset.tasks.filter((t) => t.clusterArn === firstCluster).length;
    log(`stored ${tasks} tasks`);

    api = await ServiceProcess.start(
      'api',
      apiCommand(args.api),
      { ETCD_ENDPOINTS: etcd.endpoint, ETCD_PREFIX: PREFIX, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.base.json') },
      'api listening',
      process.env['BENCH_API_OUTPUT'],
    );
    const rssLoadedMiB = api.memory().rssMiB;
    log(`api listening at ${api.url}, RSS ${rssLoadedMiB.toFixed(0)} MiB`);
    // A few small pages first, so that the measured runs do not pay for compiling the route.
    for (let i = 0; i < 20; i++) await readList(`${api.url}/v1/tasks?limit=100`, null);

    const slow: ReadPace = { bytes: int('read-bytes'), intervalMs: int('read-interval-ms') };
    // The first whole list also pays for what is done once (compiling the writer, growing the
    // heap's spaces); the same list again shows what each one costs.
    const runs = [
      await measure(api, 'every task, slow reader, first list', '/v1/tasks', tasks, slow),
      await measure(api, 'one cluster, slow reader', `/v1/tasks?cluster=${encodeURIComponent(firstCluster)}`, firstClusterTasks, slow),
      await measure(api, 'every task, slow reader, again', '/v1/tasks', tasks, slow),
      await measure(api, 'every task, fast reader', '/v1/tasks', tasks, null),
    ];
    const result: ListMemoryResult = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      command: `npx tsx tools/bench/src/api-list-memory-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
      machine,
      tasks,
      rssLoadedMiB,
      runs,
    };
    if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    console.log(report(result));
  } finally {
    await api?.stop().catch(() => undefined);
    await store.close();
    client.close();
    await etcd.stop();
  }
}

runBench(main);
