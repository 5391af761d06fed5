import { h, replaceChildren } from '../dom';
import type { InstanceSummary, TaskSummary } from '../records';
import { renderThrottle } from '../render-throttle';
import type { DashboardState, View } from '../state';

const STATUS_ORDER = ['PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'];

interface ClusterCounts {
  readonly name: string;
  instances: { total: number; active: number; draining: number; disconnected: number };
  /** launch type → last status → count */
  readonly tasks: Map<string, Map<string, number>>;
  taskTotal: number;
}

function countsByCluster(tasks: Iterable<TaskSummary>, instances: Iterable<InstanceSummary>): Map<string, ClusterCounts> {
  const clusters = new Map<string, ClusterCounts>();
  const of = (name: string) => {
    let counts = clusters.get(name);
    if (counts === undefined) {
      counts = { name, instances: { total: 0, active: 0, draining: 0, disconnected: 0 }, tasks: new Map(), taskTotal: 0 };
      clusters.set(name, counts);
    }
    return counts;
  };
  for (const instance of instances) {
    const counts = of(instance.cluster).instances;
    counts.total++;
    if (instance.status === 'ACTIVE') counts.active++;
    if (instance.status === 'DRAINING') counts.draining++;
    if (!instance.agentConnected) counts.disconnected++;
  }
  for (const task of tasks) {
    const counts = of(task.cluster);
    let byStatus = counts.tasks.get(task.launchType);
    if (byStatus === undefined) counts.tasks.set(task.launchType, (byStatus = new Map()));
    byStatus.set(task.lastStatus, (byStatus.get(task.lastStatus) ?? 0) + 1);
    counts.taskTotal++;
  }
  return clusters;
}

function statusColumns(clusters: Iterable<ClusterCounts>): string[] {
  const seen = new Set<string>();
  for (const cluster of clusters) for (const byStatus of cluster.tasks.values()) for (const status of byStatus.keys()) seen.add(status);
  const known = STATUS_ORDER.filter((status) => seen.has(status));
  return [...known, ...[...seen].filter((status) => !STATUS_ORDER.includes(status)).sort()];
}

/** Every cluster with its instances and its tasks by launch type and last status, live. */
export function clustersView(state: DashboardState): View {
  const element = h('section', { class: 'view', 'data-view': 'clusters' });
  let visible = false;
  const render = () => {
    if (!visible) return;
    const clusters = [...countsByCluster(state.tasks.items.values(), state.instances.items.values()).values()].sort((a, b) => a.name.localeCompare(b.name));
    const columns = statusColumns(clusters);
    const loading = !state.tasks.loaded || !state.instances.loaded;
    replaceChildren(
      element,
      h('h2', {}, 'Clusters'),
      h('p', { class: 'muted' }, loading ? `Loading… ${state.tasks.items.size.toLocaleString()} tasks so far` : `${clusters.length} clusters, ${state.instances.items.size} container instances, ${state.tasks.items.size.toLocaleString()} tasks`),
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
  state.tasks.onUpdate(schedule);
  state.instances.onUpdate(schedule);
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
