import type { ApiEntry, ApiView } from '../v1/api-record';

/** ECS's own default: a task recorded without a launch type runs on EC2. */
const DEFAULT_LAUNCH_TYPE = 'EC2';

export interface ClusterSummary {
  readonly name: string;
  readonly arn: string;
  readonly instances: { total: number; byStatus: Record<string, number>; agentConnected: number; agentDisconnected: number };
  readonly tasks: { total: number; byLastStatus: Record<string, number>; byLaunchType: Record<string, Record<string, number>> };
  readonly services: { total: number; byStatus: Record<string, number>; byRolloutState: Record<string, number> };
}

export interface StoreSummary {
  readonly revision: number;
  /** By cluster ARN. */
  readonly clusters: ClusterSummary[];
}

const increment = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Counts per cluster over every current record of the view, at one revision.
 * Counting 100,000 entries per request costs a few milliseconds and cannot
 * drift, which incremental counters kept across resyncs could.
 */
export function summarizeStore(view: Pick<ApiView, 'forEachEntry'>): StoreSummary {
  const clusters = new Map<string, ClusterSummary>();
  const of = (entry: ApiEntry) => {
    const { clusterArn, clusterName } = entry.location;
    let summary = clusters.get(clusterArn);
    if (summary === undefined) {
      summary = {
        name: clusterName,
        arn: clusterArn,
        instances: { total: 0, byStatus: {}, agentConnected: 0, agentDisconnected: 0 },
        tasks: { total: 0, byLastStatus: {}, byLaunchType: {} },
        services: { total: 0, byStatus: {}, byRolloutState: {} },
      };
      clusters.set(clusterArn, summary);
    }
    return summary;
  };
  const instanceRevision = view.forEachEntry('instance', (entry) => {
    if (entry.state.kind !== 'instance') return;
    const counts = of(entry).instances;
    counts.total++;
    increment(counts.byStatus, entry.state.fields.status);
    // As in the entity, which reports an unknown agent state as false.
    if (entry.state.fields.agentConnected === true) counts.agentConnected++;
    else counts.agentDisconnected++;
  });
  const taskRevision = view.forEachEntry('task', (entry) => {
    if (entry.state.kind !== 'task') return;
    const counts = of(entry).tasks;
    const { lastStatus, launchType } = entry.state.fields;
    counts.total++;
    increment(counts.byLastStatus, lastStatus);
    increment((counts.byLaunchType[launchType || DEFAULT_LAUNCH_TYPE] ??= {}), lastStatus);
  });
  const serviceRevision = view.forEachEntry('service', (entry) => {
    if (entry.state.kind !== 'service') return;
    const counts = of(entry).services;
    const { status, rolloutState } = entry.state.fields;
    counts.total++;
    if (status !== undefined) increment(counts.byStatus, status);
    if (rolloutState !== undefined) increment(counts.byRolloutState, rolloutState);
  });
  // The walks run in the same synchronous step: the view cannot move between them.
  if (instanceRevision !== taskRevision || serviceRevision !== taskRevision) throw new Error('the view changed while it was being counted');
  return { revision: taskRevision, clusters: [...clusters.values()].sort((a, b) => a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn)) };
}
