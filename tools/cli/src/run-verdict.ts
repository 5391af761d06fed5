import { EXIT } from './exit-status';
import type { RunView } from './run-view';
import { unknownClusters } from './unknown-clusters';

export interface RunVerdict {
  exitStatus: number;
  /** One line per thing that went wrong, for stderr. */
  problems: string[];
}

/**
 * Judges a run: it failed, or a cluster in it failed or is not known, or all is well
 * (which includes a run still queued or running). `requested` defaults to the run's own
 * list; a caller whose request joined a wider run passes what it asked for.
 */
export function judgeRun(view: RunView, requested: readonly string[] | null = view.requestedClusters): RunVerdict {
  if (view.state === 'failed') {
    return { exitStatus: EXIT.runFailed, problems: [`run ${view.id} failed: ${view.error ?? 'no reason given'}`] };
  }
  if (view.state !== 'completed' || view.report === null) return { exitStatus: EXIT.ok, problems: [] };
  const problems = [
    ...unknownClusters(requested ?? [], view.report.clusters).map((name) => `cluster ${name} is not known to ECS or the store`),
    ...view.report.clusters.filter((c) => c.outcome === 'failed').map((c) => `cluster ${c.cluster} failed: ${c.errors.join('; ') || 'no reason given'}`),
  ];
  return { exitStatus: problems.length > 0 ? EXIT.runFailed : EXIT.ok, problems };
}
