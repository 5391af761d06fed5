import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import type { ClusterDriftReport } from '@ecs-state/domain';
import { ClusterStateStore, createEtcdClient, ETCD_DEFAULTS } from '@ecs-state/etcd-store';
import { freePort, startEtcd, type EtcdServer } from '@ecs-state/local-services';
import { createEcsClient, Reconciler, RequestBudget } from '@ecs-state/reconciliation';
import { z } from 'zod';
import { EcsCallCounter } from './reconcile-call-counter';
import {
  DESIRED_STATUSES,
  ECS_OPERATIONS,
  minimumRunCalls,
  totalCalls,
  type CallCounts,
  type ClusterShape,
} from './reconcile-minimum';
import { spawnUntilReady, type StartedProcess } from './shared/child-process';
import { describeMachine, machineSummary } from './shared/machine';
import { markdownTable } from './shared/markdown-table';
import { benchKeyPrefix } from './bench-key-prefix';

const USAGE = `Usage: npx tsx tools/bench/src/reconcile-bench.ts [options]

  --clusters <n>               clusters in the simulated ECS (default 10)
  --tasks-per-cluster <n>      RUNNING tasks per cluster (default 10000)
  --instances-per-cluster <n>  container instances per cluster (default 10)
  --services-per-cluster <n>   services per cluster, one task each, created with CreateService (default 50)
  --concurrency <n>            clusters reconciled at once, as RECONCILE_CONCURRENCY (default 2)
  --describe-parallelism <n>   describe calls in flight per cluster, as ECS_DESCRIBE_PARALLELISM (default 4)
  --rps <n>                    ECS request budget per second, as ECS_REQUESTS_PER_SECOND (default 10000: unbounded)
  --json <file>                also write the results as JSON
`;

const argsSchema = z.object({
  clusters: z.coerce.number().int().min(1).max(1000).default(10),
  tasksPerCluster: z.coerce.number().int().min(0).default(10_000),
  instancesPerCluster: z.coerce.number().int().min(1).default(10),
  servicesPerCluster: z.coerce.number().int().min(0).default(50),
  concurrency: z.coerce.number().int().min(1).max(64).default(2),
  describeParallelism: z.coerce.number().int().min(1).max(64).default(4),
  rps: z.coerce.number().int().min(1).max(100_000).default(10_000),
  json: z.string().optional(),
});
type BenchArgs = z.infer<typeof argsSchema>;

const SIM_MAIN = join(__dirname, '../../ecs-sim/src/main.ts');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const PREFIX = benchKeyPrefix('/reconcile-bench');

interface RunResult {
  readonly name: string;
  readonly wallMs: number;
  readonly calls: CallCounts;
  /** Sum of the drift reports' ecsCalls (what the reconciler itself reports, planning excluded). */
  readonly reportedCalls: number;
  /** etcd revisions consumed by the run: every write Txn and delete Txn moves it by one. */
  readonly etcdRevisions: number;
  readonly etcdRoundTrips: { range: number; txn: number };
  readonly tasks: { added: number; updated: number; deleted: number; unchanged: number };
  readonly instances: { added: number; updated: number; deleted: number; unchanged: number };
  readonly services: { added: number; updated: number; deleted: number; unchanged: number };
  readonly errors: string[];
}

function parseCli(): BenchArgs | undefined {
  const { values } = parseArgs({
    options: {
      clusters: { type: 'string' },
      'tasks-per-cluster': { type: 'string' },
      'instances-per-cluster': { type: 'string' },
      'services-per-cluster': { type: 'string' },
      concurrency: { type: 'string' },
      'describe-parallelism': { type: 'string' },
      rps: { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) return undefined;
  return argsSchema.parse({
    clusters: values.clusters,
    tasksPerCluster: values['tasks-per-cluster'],
    instancesPerCluster: values['instances-per-cluster'],
    servicesPerCluster: values['services-per-cluster'],
    concurrency: values.concurrency,
    describeParallelism: values['describe-parallelism'],
    rps: values.rps,
    json: values.json,
  });
}

/** The simulator in its own process, so that serving ECS does not take the reconciler's event loop. */
async function startSimulatorProcess(args: BenchArgs): Promise<{ endpoint: string; process: StartedProcess }> {
  const port = await freePort();
  const { process } = await spawnUntilReady(
    globalThis.process.execPath,
    [
      '--import',
      'tsx',
      SIM_MAIN,
      '--port',
      String(port),
      '--event-queue',
      'none',
      '--seed',
      '7',
      '--clusters',
      String(args.clusters),
      '--instances-per-cluster',
      String(args.instancesPerCluster),
      '--tasks-per-cluster',
      String(args.tasksPerCluster),
      '--rate',
      '0',
    ],
    { env: { PATH: globalThis.process.env.PATH }, ready: (line) => line.startsWith('ecs-sim listening on'), timeoutMs: 300_000 },
  );
  return { endpoint: `http://127.0.0.1:${port}`, process };
}

const SERVICE_FAMILY = 'bench-service';

/**
 * `servicesPerCluster` services of one task in every cluster, through the ECS API as an
 * operator would; returns once every rollout has COMPLETED, so that the runs see a steady ECS.
 */
async function createServices(endpoint: string, args: BenchArgs): Promise<void> {
  if (args.servicesPerCluster === 0) return;
  const admin = new ECSClient({ endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 3 });
  try {
    await admin.send(new RegisterTaskDefinitionCommand({ family: SERVICE_FAMILY, containerDefinitions: [{ name: 'app', image: 'nginx', cpu: 8, memory: 16 }] }));
    const clusters = (await admin.send(new ListClustersCommand({ maxResults: 100 }))).clusterArns ?? [];
    const names = Array.from({ length: args.servicesPerCluster }, (_, i) => `svc-${String(i).padStart(3, '0')}`);
    for (const cluster of clusters) {
      for (const serviceName of names) {
        await admin.send(new CreateServiceCommand({ cluster, serviceName, taskDefinition: SERVICE_FAMILY, desiredCount: 1 }));
      }
    }
    const deadline = Date.now() + 300_000;
    for (const cluster of clusters) {
      for (let i = 0; i < names.length; i += 10) {
        for (;;) {
          const { services = [] } = await admin.send(new DescribeServicesCommand({ cluster, services: names.slice(i, i + 10) }));
          const settled = services.every((s) => s.deployments?.length === 1 && s.deployments[0]?.rolloutState === 'COMPLETED' && s.runningCount === 1);
          if (settled) break;
          if (Date.now() > deadline) throw new Error(`services of ${cluster} did not reach a steady state`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  } finally {
    admin.destroy();
  }
}

/** Clusters run `concurrency` at a time, as the worker takes the run's child jobs. */
async function reconcileAll(reconciler: Reconciler, clusters: readonly string[], concurrency: number): Promise<ClusterDriftReport[]> {
  const reports: ClusterDriftReport[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, clusters.length) }, async () => {
      while (next < clusters.length) {
        const cluster = clusters[next++] as string;
        reports.push(await reconciler.reconcileCluster(cluster));
      }
    }),
  );
  return reports;
}

async function run(name: string, reconciler: Reconciler, store: ClusterStateStore, counter: EcsCallCounter, args: BenchArgs): Promise<RunResult> {
  counter.take();
  const tripsBefore = store.roundTrips();
  const revisionBefore = await store.currentRevision();
  const started = performance.now();
  const clusters = await reconciler.planClusters(null);
  const reports = await reconcileAll(reconciler, clusters, args.concurrency);
  const wallMs = performance.now() - started;
  const revisionAfter = await store.currentRevision();
  const tripsAfter = store.roundTrips();
  const sum = (pick: (r: ClusterDriftReport) => { added: number; updated: number; deleted: number; unchanged: number }) =>
    reports.reduce(
      (acc, r) => {
        const c = pick(r);
        return { added: acc.added + c.added, updated: acc.updated + c.updated, deleted: acc.deleted + c.deleted, unchanged: acc.unchanged + c.unchanged };
      },
      { added: 0, updated: 0, deleted: 0, unchanged: 0 },
    );
  return {
    name,
    wallMs,
    calls: counter.take(),
    reportedCalls: reports.reduce((n, r) => n + r.ecsCalls, 0),
    // The closing currentRevision read does not move the revision.
    etcdRevisions: revisionAfter - revisionBefore,
    // Minus the two currentRevision reads of the measurement itself.
    etcdRoundTrips: { range: tripsAfter.range - tripsBefore.range - 2, txn: tripsAfter.txn - tripsBefore.txn },
    tasks: sum((r) => r.tasks),
    instances: sum((r) => r.instances),
    services: sum((r) => r.services ?? { added: 0, updated: 0, deleted: 0, unchanged: 0 }),
    errors: reports.flatMap((r) => r.errors.map((e) => `${r.cluster}: ${e}`)),
  };
}

/** What ECS reported, as stored by the first run (etcd then equals ECS), per cluster. */
async function clusterShapes(store: ClusterStateStore): Promise<Map<string, ClusterShape>> {
  const all = await store.snapshotAll();
  const shapes = new Map<string, { tasksByDesiredStatus: Record<(typeof DESIRED_STATUSES)[number], number>; instances: number; services: number }>();
  const shapeOf = (cluster: string) => {
    let shape = shapes.get(cluster);
    if (!shape) {
      shape = { tasksByDesiredStatus: { RUNNING: 0, PENDING: 0, STOPPED: 0 }, instances: 0, services: 0 };
      shapes.set(cluster, shape);
    }
    return shape;
  };
  for (const { record } of all.tasks) {
    const status = record.record.desiredStatus as (typeof DESIRED_STATUSES)[number];
    shapeOf(record.record.clusterArn).tasksByDesiredStatus[status] += 1;
  }
  for (const { record } of all.instances) {
    if (record.record.status !== 'INACTIVE') shapeOf(record.record.clusterArn).instances += 1;
  }
  for (const { record } of all.services) {
    if (record.record.status !== 'INACTIVE') shapeOf(record.record.clusterArn).services += 1;
  }
  return shapes;
}

function report(args: BenchArgs, runs: RunResult[], minimum: CallCounts, shapes: Map<string, ClusterShape>): string {
  const machine = describeMachine();
  const minTotal = totalCalls(minimum);
  const stored = [...shapes.values()].reduce((n, s) => n + DESIRED_STATUSES.reduce((m, st) => m + s.tasksByDesiredStatus[st], 0), 0);
  const services = [...shapes.values()].reduce((n, s) => n + s.services, 0);
  const lines = [
    `Machine: ${machineSummary(machine)}`,
    `Workload: ${args.clusters} clusters × ${args.tasksPerCluster} RUNNING tasks, ${args.instancesPerCluster} instances and ` +
      `${args.servicesPerCluster} services (one task each) per cluster ` +
      `(stored after run 1: ${stored} tasks and ${services} services in ${shapes.size} clusters); concurrency ${args.concurrency}, ` +
      `describe parallelism ${args.describeParallelism}, budget ${args.rps} ECS requests/s`,
    '',
    markdownTable(
      ['run', 'wall time', 'ECS calls', 'minimum', 'ratio', 'reported by the reconciler', 'etcd revisions (writes)', 'etcd Range / Txn', 'tasks added / updated / deleted / unchanged', 'services added / updated / deleted / unchanged', 'errors'],
      runs.map((r) => [
        r.name,
        `${(r.wallMs / 1000).toFixed(2)} s`,
        String(totalCalls(r.calls)),
        String(minTotal),
        (totalCalls(r.calls) / minTotal).toFixed(3),
        `${r.reportedCalls} (+ planning)`,
        String(r.etcdRevisions),
        `${r.etcdRoundTrips.range} / ${r.etcdRoundTrips.txn}`,
        `${r.tasks.added} / ${r.tasks.updated} / ${r.tasks.deleted} / ${r.tasks.unchanged}`,
        `${r.services.added} / ${r.services.updated} / ${r.services.deleted} / ${r.services.unchanged}`,
        String(r.errors.length),
      ]),
    ),
    '',
    markdownTable(
      ['operation', 'minimum', ...runs.map((r) => r.name)],
      ECS_OPERATIONS.map((op) => [op, String(minimum[op]), ...runs.map((r) => String(r.calls[op]))]),
    ),
  ];
  for (const r of runs) for (const e of r.errors.slice(0, 5)) lines.push(`error (${r.name}): ${e}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseCli();
  if (args === undefined) {
    process.stdout.write(USAGE);
    return;
  }
  let etcd: EtcdServer | undefined;
  let sim: { endpoint: string; process: StartedProcess } | undefined;
  let client: ReturnType<typeof createEtcdClient> | undefined;
  let ecs: ECSClient | undefined;
  try {
    process.stderr.write('starting etcd and the simulator (populating ECS)...\n');
    [etcd, sim] = await Promise.all([startEtcd(), startSimulatorProcess(args)]);
    process.stderr.write(`creating ${args.servicesPerCluster} services per cluster...\n`);
    await createServices(sim.endpoint, args);
    client = createEtcdClient({ ...ETCD_DEFAULTS, endpoints: [etcd.endpoint], prefix: PREFIX });
    const store = new ClusterStateStore({ client, prefix: PREFIX });
    const budget = new RequestBudget(args.rps, args.rps);
    ecs = createEcsClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: CREDENTIALS, maxAttempts: 3, budget });
    const counter = new EcsCallCounter(ecs);
    const reconciler = new Reconciler({ ecs, store, describeParallelism: args.describeParallelism });

    process.stderr.write('run 1: empty store...\n');
    const first = await run('1: empty store', reconciler, store, counter, args);
    process.stderr.write('run 2: nothing changed...\n');
    const second = await run('2: nothing changed', reconciler, store, counter, args);
    const shapes = await clusterShapes(store);
    const minimum = minimumRunCalls([...shapes.values()]);
    const unexpected = [...counter.other.entries()];
    if (unexpected.length > 0) process.stderr.write(`other ECS operations: ${JSON.stringify(unexpected)}\n`);

    process.stdout.write(`${report(args, [first, second], minimum, shapes)}\n`);
    if (args.json) writeFileSync(args.json, JSON.stringify({ machine: describeMachine(), args, minimum, runs: [first, second] }, null, 2));
    await store.close();
    // The point of the bench: a run reads ECS with the fewest calls the reconcile's specification allows.
    const off = [first, second].filter((r) => totalCalls(r.calls) !== totalCalls(minimum));
    if (off.length > 0) throw new Error(`ECS calls differ from the minimum (${totalCalls(minimum)}): ${off.map((r) => `${r.name}: ${totalCalls(r.calls)}`).join(', ')}`);
  } finally {
    ecs?.destroy();
    client?.close();
    await sim?.process.stop();
    await etcd?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
