import { h, replaceChildren } from '../dom';
import type { StreamState } from '../change-stream';
import { LiveCollection } from '../live-collection';
import { summarizeInstance, summarizeService, summarizeTask, type InstanceSummary, type ServiceSummary, type TaskSummary } from '../records';
import { renderThrottle } from '../render-throttle';
import { isStopped, type DashboardState, type View } from '../state';
import { openTaskDetails } from './task-details';

/** More chips than this in one box say nothing more; the rest is a count. */
const MAX_CHIPS = 80;

function percent(used: number, total: number): number {
  return total > 0 ? Math.max(0, Math.min(100, Math.round((used / total) * 100))) : 0;
}

function bar(label: string, used: number, total: number): HTMLElement {
  const share = percent(used, total);
  return h(
    'div',
    { class: 'bar', title: `${label} ${used} of ${total} used` },
    h('span', { class: 'bar-label' }, `${label} ${used}/${total}`),
    h('span', { class: `bar-fill${share >= 90 ? ' full' : ''}`, style: `width:${share}%` }),
  );
}

type Entity = Record<string, unknown>;

interface ClusterRecords {
  readonly tasks: LiveCollection<Entity, TaskSummary>;
  readonly instances: LiveCollection<Entity, InstanceSummary>;
  readonly services: LiveCollection<Entity, ServiceSummary>;
}

const figure = (n: number | undefined) => (n === undefined ? '–' : String(n));

/** The cluster's services: counts, and the rollout state of the deployment being rolled out (or the last one). */
function servicesTable(services: readonly ServiceSummary[]): HTMLElement {
  return h(
    'table',
    { class: 'services' },
    h('thead', {}, h('tr', {}, ...['Service', 'Status', 'Desired', 'Running', 'Pending', 'Rollout', 'Task definition'].map((title) => h('th', {}, title)))),
    h(
      'tbody',
      {},
      ...services.map((service) =>
        h(
          'tr',
          { 'data-service': service.name },
          h('td', { 'data-field': 'name' }, service.name),
          h('td', { 'data-field': 'status' }, service.status || '–'),
          h('td', { 'data-field': 'desired' }, figure(service.desired)),
          h('td', { 'data-field': 'running', class: service.running !== undefined && service.desired !== undefined && service.running < service.desired ? 'warn' : undefined }, figure(service.running)),
          h('td', { 'data-field': 'pending' }, figure(service.pending)),
          h('td', { 'data-field': 'rollout', class: service.rolloutState === 'FAILED' ? 'bad' : service.rolloutState === 'IN_PROGRESS' ? 'warn' : undefined }, service.rolloutState || '–'),
          h('td', { 'data-field': 'task-definition' }, service.taskDefinition || '–'),
        ),
      ),
    ),
  );
}

export interface ClusterMapView extends View {
  select(cluster: string | undefined): void;
  /** The states of the selected cluster's streams, while the map is shown. */
  streamStates(): (StreamState | 'loading')[];
  onStreamState(listener: () => void): void;
  stop(): void;
}

/**
 * One cluster's container instances as boxes sized by what they registered and
 * filled by what is used, each with the tasks placed on it; Fargate tasks in a
 * lane of their own; then its services. Stopped tasks leave the map. Only the cluster shown is
 * loaded (its records listed by name, then kept current from the streams); the
 * cluster names come from the API's counts.
 */
export function clusterMapView(state: DashboardState): ClusterMapView {
  const element = h('section', { class: 'view', 'data-view': 'map' });
  let visible = false;
  let selected: string | undefined;
  let records: ClusterRecords | undefined;
  const stateListeners = new Set<() => void>();
  const stateChanged = () => {
    for (const listener of stateListeners) listener();
  };

  const chip = (task: TaskSummary) =>
    h(
      'button',
      {
        type: 'button',
        class: `task s-${task.lastStatus.toLowerCase()}`,
        'data-task-id': task.id,
        title: `${task.family} · ${task.lastStatus}${task.group ? ` · ${task.group}` : ''}`,
        onclick: () => openTaskDetails(state.api, task.cluster, task.arn),
      },
      task.family.replace(/:\d+$/, ''),
    );
  const chips = (tasks: TaskSummary[]) => {
    const shown = tasks.slice(0, MAX_CHIPS).map(chip);
    return tasks.length > MAX_CHIPS ? [...shown, h('span', { class: 'more' }, `+${tasks.length - MAX_CHIPS} more`)] : shown;
  };

  const release = () => {
    records?.tasks.stop();
    records?.instances.stop();
    records?.services.stop();
    records = undefined;
  };
  /** Loads `cluster` unless it is the one loaded. */
  const load = (cluster: string | undefined) => {
    if (records !== undefined && records.tasks.cluster === cluster) return;
    release();
    if (cluster === undefined) return stateChanged();
    records = {
      tasks: new LiveCollection<Entity, TaskSummary>(state.api, 'tasks', summarizeTask, cluster, (task) => task.cluster),
      instances: new LiveCollection<Entity, InstanceSummary>(state.api, 'instances', summarizeInstance, cluster, (instance) => instance.cluster),
      services: new LiveCollection<Entity, ServiceSummary>(state.api, 'services', summarizeService, cluster, (service) => service.cluster),
    };
    for (const collection of [records.tasks, records.instances, records.services]) {
      collection.onUpdate(schedule);
      collection.onUpdate(stateChanged);
      collection.start();
    }
  };

  const render = () => {
    if (!visible) return;
    const names = [...new Set((state.summary.counts?.clusters ?? []).map((c) => c.name))].sort();
    // A cluster asked for by name is shown even before the counts know it.
    const cluster = selected ?? names[0];
    if (cluster !== undefined && !names.includes(cluster)) {
      names.push(cluster);
      names.sort();
    }
    load(cluster);
    const instances: InstanceSummary[] = [...(records?.instances.items.values() ?? [])].sort((a, b) => a.id.localeCompare(b.id));
    const placed = new Map<string, TaskSummary[]>(instances.map((i) => [i.arn, []]));
    const fargate: TaskSummary[] = [];
    const unplaced: TaskSummary[] = [];
    for (const task of records?.tasks.items.values() ?? []) {
      if (isStopped(task)) continue;
      if (task.launchType === 'FARGATE') fargate.push(task);
      else (placed.get(task.containerInstanceArn) ?? unplaced).push(task);
    }
    const byAge = (a: TaskSummary, b: TaskSummary) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id);
    const services = [...(records?.services.items.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name));
    const maxCpu = Math.max(1, ...instances.map((i) => i.registered.cpu));
    const maxMemory = Math.max(1, ...instances.map((i) => i.registered.memory));
    replaceChildren(
      element,
      h('h2', {}, 'Cluster map'),
      h('nav', { class: 'cluster-picker' }, ...names.map((name) => h('a', { href: `#/map/${encodeURIComponent(name)}`, class: name === cluster ? 'current' : undefined }, name))),
      cluster === undefined
        ? h('p', { class: 'muted' }, state.summary.counts !== undefined ? 'No clusters yet.' : 'Loading…')
        : h(
            'div',
            { class: 'map', 'data-cluster': cluster },
            h('h3', {}, `EC2 container instances (${instances.length})`),
            h(
              'div',
              { class: 'instances' },
              ...instances.map((instance) => {
                const tasks = (placed.get(instance.arn) ?? []).sort(byAge);
                const width = 180 + Math.round(220 * (instance.registered.cpu / maxCpu));
                const height = 110 + Math.round(120 * (instance.registered.memory / maxMemory));
                const flags = [instance.status === 'DRAINING' ? 'draining' : '', instance.agentConnected ? '' : 'disconnected', instance.status === 'INACTIVE' ? 'inactive' : ''].filter(Boolean);
                return h(
                  'div',
                  { class: ['instance', ...flags].join(' '), 'data-instance-id': instance.id, style: `width:${width}px;min-height:${height}px` },
                  h(
                    'header',
                    {},
                    h('strong', {}, instance.ec2InstanceId || instance.id.slice(0, 12)),
                    ...flags.map((flag) => h('span', { class: `badge ${flag}` }, flag.toUpperCase())),
                    h('span', { class: 'muted' }, ` ${tasks.length} tasks`),
                  ),
                  bar('CPU', instance.registered.cpu - instance.remaining.cpu, instance.registered.cpu),
                  bar('MEM', instance.registered.memory - instance.remaining.memory, instance.registered.memory),
                  h('div', { class: 'chips' }, ...chips(tasks)),
                );
              }),
            ),
            h('h3', {}, `Fargate (${fargate.length})`),
            h('div', { class: 'lane fargate' }, ...chips(fargate.sort(byAge))),
            unplaced.length > 0 ? h('h3', {}, `On instances not known here (${unplaced.length})`) : null,
            unplaced.length > 0 ? h('div', { class: 'lane unplaced' }, ...chips(unplaced.sort(byAge))) : null,
            h('h3', {}, `Services (${services.length})`),
            services.length > 0 ? servicesTable(services) : h('p', { class: 'muted' }, 'No services.'),
          ),
    );
  };
  const schedule = renderThrottle(render);
  // New clusters appear in the picker.
  state.summary.onUpdate(schedule);
  return {
    element,
    select(cluster) {
      selected = cluster;
    },
    streamStates: () => (records === undefined ? [] : [records.tasks.state, records.instances.state, records.services.state]),
    onStreamState(listener) {
      stateListeners.add(listener);
    },
    stop: release,
    show() {
      visible = true;
      render();
    },
    hide() {
      visible = false;
      // Nothing is kept current off screen.
      release();
      stateChanged();
    },
  };
}
