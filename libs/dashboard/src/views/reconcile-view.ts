import { ApiFailure } from '../api-client';
import { h, replaceChildren } from '../dom';
import type { DashboardState, View } from '../state';

interface Counts {
  added: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

interface ClusterReport {
  cluster: string;
  outcome: string;
  tasks: Counts;
  instances: Counts;
  /** Absent from reports written before services were reconciled. */
  services?: Counts;
  ecsCalls: number;
  durationMs: number;
  errors: string[];
}

interface Run {
  id: string;
  state: string;
  trigger: string;
  requestedClusters: string[] | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  plannedClusters: number | null;
  report: { clusters: ClusterReport[]; totals: { clusters: number; failedClusters: number; tasks: Counts; instances: Counts; services?: Counts; ecsCalls: number } } | null;
  error: string | null;
}

/** How often the list is read again while the view is open. */
const REFRESH_MS = 2_000;

const drift = (counts: Counts) => `+${counts.added} ~${counts.updated} −${counts.deleted} =${counts.unchanged}`;
/** A report from before services were reconciled counted none: shown as a dash, not as zeros. */
const serviceDrift = (counts: Counts | undefined) => (counts === undefined ? '–' : drift(counts));

function runRow(run: Run): HTMLElement {
  const totals = run.report?.totals;
  return h(
    'details',
    { class: `run s-${run.state}`, 'data-run-id': run.id, 'data-state': run.state },
    h(
      'summary',
      {},
      h('span', { class: 'state' }, run.state),
      h('span', { class: 'trigger' }, run.trigger),
      h('time', {}, new Date(run.requestedAt).toLocaleString()),
      h('span', {}, run.requestedClusters === null ? 'all clusters' : run.requestedClusters.join(', ')),
      h('span', { class: 'progress' }, `${totals?.clusters ?? 0}/${run.plannedClusters ?? '?'} clusters`),
      totals ? h('span', { class: 'drift', title: 'added ~updated −deleted =unchanged' }, `tasks ${drift(totals.tasks)} · instances ${drift(totals.instances)} · services ${serviceDrift(totals.services)}`) : null,
      totals && totals.failedClusters > 0 ? h('span', { class: 'bad' }, `${totals.failedClusters} failed`) : null,
      run.error ? h('span', { class: 'bad' }, run.error) : null,
    ),
    run.report === null
      ? h('p', { class: 'muted' }, 'No cluster is over yet.')
      : h(
          'table',
          { class: 'drift-report' },
          h('thead', {}, h('tr', {}, ...['cluster', 'outcome', 'tasks (+ ~ − =)', 'instances (+ ~ − =)', 'services (+ ~ − =)', 'ECS calls', 'ms', 'errors'].map((label) => h('th', {}, label)))),
          h(
            'tbody',
            {},
            ...run.report.clusters.map((cluster) =>
              h(
                'tr',
                { 'data-cluster': cluster.cluster.slice(cluster.cluster.lastIndexOf('/') + 1) },
                h('td', {}, cluster.cluster.slice(cluster.cluster.lastIndexOf('/') + 1)),
                h('td', { class: cluster.outcome === 'failed' ? 'bad' : undefined }, cluster.outcome),
                h('td', {}, drift(cluster.tasks)),
                h('td', {}, drift(cluster.instances)),
                h('td', {}, serviceDrift(cluster.services)),
                h('td', {}, cluster.ecsCalls),
                h('td', {}, cluster.durationMs),
                h('td', {}, cluster.errors.join('; ')),
              ),
            ),
          ),
        ),
  );
}

/** The last runs with their drift reports, and a button that requests a run of every cluster. */
export function reconcileView(state: DashboardState): View {
  const element = h('section', { class: 'view', 'data-view': 'reconcile' });
  const message = h('p', { class: 'muted', 'data-role': 'reconcile-message' });
  const runs = h('div', { class: 'runs' });
  const open = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let visible = false;

  const refresh = async () => {
    clearTimeout(timer);
    try {
      const body = await state.api.getJson<{ runs: Run[] }>('v1/reconcile', { limit: 20 });
      for (const details of Array.from(runs.querySelectorAll<HTMLDetailsElement>('details[open]'))) open.add(details.dataset['runId'] ?? '');
      replaceChildren(runs, ...(body.runs.length === 0 ? [h('p', { class: 'muted' }, 'No run yet.')] : body.runs.map(runRow)));
      for (const details of Array.from(runs.querySelectorAll<HTMLDetailsElement>('details'))) if (open.has(details.dataset['runId'] ?? '')) details.open = true;
    } catch (error) {
      replaceChildren(runs, h('p', { class: 'bad' }, error instanceof Error ? error.message : String(error)));
    }
    if (visible) timer = setTimeout(() => void refresh(), REFRESH_MS);
  };

  const start = h('button', { type: 'button', 'data-action': 'start-reconcile' }, 'Start a reconcile of every cluster');
  start.addEventListener('click', async () => {
    start.disabled = true;
    try {
      const run = await state.api.post<{ id: string; coalesced: boolean }>('v1/reconcile', {});
      message.textContent = run.coalesced ? `A run already queued or running covers it: ${run.id}` : `Run ${run.id} requested.`;
      open.add(run.id);
    } catch (error) {
      message.textContent = error instanceof ApiFailure && error.status === 403 ? 'The api has no tokens configured, so it refuses every request that changes something.' : `Error: ${error instanceof Error ? error.message : String(error)}`;
    }
    start.disabled = false;
    await refresh();
  });

  replaceChildren(element, h('h2', {}, 'Reconcile'), h('p', {}, start, ' ', message), runs);
  return {
    element,
    show() {
      visible = true;
      void refresh();
    },
    hide() {
      visible = false;
      clearTimeout(timer);
    },
  };
}
