import type { RunView } from './run-view';

/** One line on a run's state and progress: clusters over (reconciled, removed or failed) of those planned. */
export function progressLine(view: RunView): string {
  const head = `run ${view.id}: ${view.state}`;
  if (view.plannedClusters === null) return view.state === 'running' ? `${head}, planning the clusters` : head;
  const done = view.report?.totals.clusters ?? 0;
  const failed = view.report?.totals.failedClusters ?? 0;
  return `${head}, ${done}/${view.plannedClusters} clusters done${failed > 0 ? ` (${failed} failed)` : ''}`;
}

/** Prints the progress line of each view it is shown, but only when it changed. */
export function progressPrinter(print: (line: string) => void): (view: RunView) => void {
  let last: string | undefined;
  return (view) => {
    const line = progressLine(view);
    if (line !== last) print(line);
    last = line;
  };
}
