import { h, replaceChildren } from '../dom';
import type { ClusterCounts } from '../live-summary';
import { renderThrottle } from '../render-throttle';
import type { DashboardState, View } from '../state';

const STATUS_ORDER = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];

interface ClusterCard {
  readonly name: string;
  readonly instances: { total: number; active: number; draining: number; disconnected: number };
  /** launch type → last status → count */
  readonly tasks: Map<string, Map<string, number>>;
}

/** The API counts per cluster ARN; a person thinks of clusters by name, so one card per name. */
function cardsByName(clusters: readonly ClusterCounts[]): ClusterCard[] {
  const cards = new Map<string, ClusterCard>();
  for (const cluster of clusters) {
    let card = cards.get(cluster.name);
    if (card === undefined) cards.set(cluster.name, (card = { name: cluster.name, instances: { total: 0, active: 0, draining: 0, disconnected: 0 }, tasks: new Map() }));
    card.instances.total += cluster.instances.total;
    card.instances.active += cluster.instances.byStatus['ACTIVE'] ?? 0;
    card.instances.draining += cluster.instances.byStatus['DRAINING'] ?? 0;
    card.instances.disconnected += cluster.instances.agentDisconnected;
    for (const [launchType, byStatus] of Object.entries(cluster.tasks.byLaunchType)) {
      let counts = card.tasks.get(launchType);
      if (counts === undefined) card.tasks.set(launchType, (counts = new Map()));
      for (const [status, count] of Object.entries(byStatus)) counts.set(status, (counts.get(status) ?? 0) + count);
    }
  }
  return [...cards.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function statusColumns(clusters: Iterable<ClusterCard>): string[] {
  const seen = new Set<string>();
  for (const cluster of clusters) for (const byStatus of cluster.tasks.values()) for (const status of byStatus.keys()) seen.add(status);
  const known = STATUS_ORDER.filter((status) => seen.has(status));
  return [...known, ...[...seen].filter((status) => !STATUS_ORDER.includes(status)).sort()];
}

/** Every cluster with its instances and its tasks by launch type and last status, from the API's counts, kept current. */
export function clustersView(state: DashboardState): View {
  const element = h('section', { class: 'view', 'data-view': 'clusters' });
  let visible = false;
  const render = () => {
    if (!visible) return;
    const counts = state.summary.counts;
    const clusters = cardsByName(counts?.clusters ?? []);
    const columns = statusColumns(clusters);
    const total = (of: (cluster: ClusterCounts) => number) => (counts?.clusters ?? []).reduce((sum, cluster) => sum + of(cluster), 0);
    replaceChildren(
      element,
      h('h2', {}, 'Clusters'),
      h(
        'p',
        { class: 'muted', 'data-role': 'totals' },
        counts === undefined
          ? (state.summary.error ?? 'Loading…')
          : `${clusters.length} clusters, ${total((c) => c.instances.total).toLocaleString()} container instances, ${total((c) => c.tasks.total).toLocaleString()} tasks`,
      ),
      h(
        'div',
        { class: 'cards' },
        ...clusters.map((cluster) =>
          h(
            'article',
            { class: 'card', 'data-cluster': cluster.name },
            h('h3', {}, h('a', { href: `#/map/${encodeURIComponent(cluster.name)}` }, cluster.name)),
            h(
              'p',
              { class: 'instances' },
              h('span', { 'data-count': 'instances' }, `${cluster.instances.total} instances`),
              ` · ${cluster.instances.active} active`,
              cluster.instances.draining > 0 ? h('span', { class: 'warn' }, ` · ${cluster.instances.draining} draining`) : null,
              cluster.instances.disconnected > 0 ? h('span', { class: 'bad' }, ` · ${cluster.instances.disconnected} disconnected`) : null,
            ),
            h(
              'table',
              { class: 'counts' },
              h('thead', {}, h('tr', {}, h('th', {}, 'launch type'), ...columns.map((status) => h('th', {}, status.toLowerCase())), h('th', {}, 'total'))),
              h(
                'tbody',
                {},
                ...[...cluster.tasks.entries()]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([launchType, byStatus]) =>
                    h(
                      'tr',
                      { 'data-launch-type': launchType },
                      h('th', {}, launchType),
                      ...columns.map((status) => h('td', { 'data-status': status }, byStatus.get(status) ?? 0)),
                      h('td', { 'data-status': 'total' }, [...byStatus.values()].reduce((a, b) => a + b, 0)),
                    ),
                  ),
              ),
            ),
          ),
        ),
      ),
    );
  };
  const schedule = renderThrottle(render);
  state.summary.onUpdate(schedule);
  return {
    element,
    show() {
      visible = true;
      render();
    },
    hide() {
      visible = false;
    },
  };
}
