import { clusterDriftReportSchema, driftReportSchema, emptyCounts, type DriftReport } from './drift-report';

const CLUSTER = 'arn:aws:ecs:us-east-1:111111111111:cluster/web';
const TARGET = 'aws/us-east-1/111111111111';

function validReport(): DriftReport {
  // A function, not a shared object: structuredClone keeps shared references, and removing a field must remove one.
  const tasks = () => ({ added: 1, updated: 2, deleted: 3, unchanged: 4 });
  const services = () => ({ added: 0, updated: 1, deleted: 1, unchanged: 2 });
  return {
    runId: 'run-1',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    clusters: [{ cluster: CLUSTER, target: TARGET, outcome: 'reconciled', tasks: tasks(), instances: emptyCounts(), services: services(), ecsCalls: 5, durationMs: 12.5, errors: [] }],
    totals: { clusters: 1, failedClusters: 0, tasks: tasks(), instances: emptyCounts(), services: services(), ecsCalls: 5 },
    targets: [{ target: TARGET, clusters: 1, failedClusters: 0, tasks: tasks(), instances: emptyCounts(), services: services(), ecsCalls: 5 }],
  };
}

const COUNTS = ['added', 'updated', 'deleted', 'unchanged'];
const TOTALS = ['clusters', 'failedClusters', 'tasks', 'instances', 'ecsCalls'];
const CLUSTER_FIELDS = ['cluster', 'outcome', 'tasks', 'instances', 'ecsCalls', 'durationMs', 'errors'];

/** Every required field of a report, as the path zod reports when it is missing. */
const REQUIRED_PATHS: (string | number)[][] = [
  ...['runId', 'startedAt', 'finishedAt', 'clusters', 'totals'].map((field) => [field]),
  ...CLUSTER_FIELDS.map((field) => ['clusters', 0, field]),
  ...COUNTS.flatMap((field) => [
    ['clusters', 0, 'tasks', field],
    ['clusters', 0, 'instances', field],
    ['totals', 'tasks', field],
    ['targets', 0, 'instances', field],
    // Services are optional, but counts that are there are whole.
    ['clusters', 0, 'services', field],
    ['totals', 'services', field],
    ['targets', 0, 'services', field],
  ]),
  ...TOTALS.map((field) => ['totals', field]),
  ...['target', ...TOTALS].map((field) => ['targets', 0, field]),
];

function without(report: DriftReport, path: (string | number)[]): unknown {
  const copy = structuredClone(report) as unknown as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  delete parent[path[path.length - 1] as string | number];
  return copy;
}

describe('drift report schema', () => {
  it('parses a valid report into an equal value', () => {
    const report = validReport();
    expect(driftReportSchema.parse(report)).toEqual(report);
  });

  it('parses reports and cluster parts written before targets were reported', () => {
    const { targets: _targets, ...report } = validReport();
    const { target: _target, ...cluster } = report.clusters[0]!;
    expect(driftReportSchema.parse({ ...report, clusters: [cluster] })).toEqual({ ...report, clusters: [cluster] });
    expect(clusterDriftReportSchema.parse(cluster)).toEqual(cluster);
  });

  it('parses reports written before services were reconciled, without service counts', () => {
    const report = validReport();
    const { services: _c, ...cluster } = report.clusters[0]!;
    const { services: _t, ...totals } = report.totals;
    const { services: _g, ...target } = report.targets![0]!;
    const old = { ...report, clusters: [cluster], totals, targets: [target] };
    expect(driftReportSchema.parse(old)).toEqual(old);
  });

  it.each(REQUIRED_PATHS.map((path) => [path.join('.'), path] as const))('rejects a report without %s, naming exactly that path', (_name, path) => {
    const result = driftReportSchema.safeParse(without(validReport(), path));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('rejects an unknown outcome and negative or fractional counts where they are', () => {
    const report = validReport();
    const bad = { ...report, clusters: [{ ...report.clusters[0]!, outcome: 'skipped', tasks: { ...emptyCounts(), added: -1, deleted: 0.5 } }] };
    const result = driftReportSchema.safeParse(bad);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([
      ['clusters', 0, 'outcome'],
      ['clusters', 0, 'tasks', 'added'],
      ['clusters', 0, 'tasks', 'deleted'],
    ]);
  });

  it('starts counts at zero', () => {
    expect(emptyCounts()).toEqual({ added: 0, updated: 0, deleted: 0, unchanged: 0 });
  });
});
