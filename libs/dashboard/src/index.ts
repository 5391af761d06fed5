import { ApiClient, ApiFailure } from './api-client';
import { h, replaceChildren } from './dom';
import { ChangeFeed } from './change-feed';
import { LiveSummary } from './live-summary';
import type { DashboardState, View } from './state';
import { STYLES } from './styles';
import { tokenStore } from './token-store';
import { changesView } from './views/changes-view';
import { clusterMapView } from './views/cluster-map-view';
import { clustersView } from './views/clusters-view';
import { loginView } from './views/login-view';
import { reconcileView } from './views/reconcile-view';
import { tasksView } from './views/tasks-view';

const ROUTES = [
  { path: 'clusters', label: 'Clusters' },
  { path: 'map', label: 'Cluster map' },
  { path: 'tasks', label: 'Tasks' },
  { path: 'changes', label: 'Recent changes' },
  { path: 'reconcile', label: 'Reconcile' },
] as const;

/** 'ok', 'unauthorized', or what went wrong. */
async function probe(api: ApiClient): Promise<'ok' | 'unauthorized' | string> {
  try {
    await api.getJson('v1/instances', { limit: 1 });
    return 'ok';
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 401) return 'unauthorized';
    return error instanceof Error ? error.message : String(error);
  }
}

function showDashboard(root: HTMLElement, api: ApiClient): void {
  const summary = new LiveSummary(api);
  const state: DashboardState = { api, summary, feed: new ChangeFeed(api, summary) };
  const map = clusterMapView(state);
  const views: Record<(typeof ROUTES)[number]['path'], View> = {
    clusters: clustersView(state),
    map,
    tasks: tasksView(state),
    changes: changesView(state),
    reconcile: reconcileView(state),
  };
  const connection = h('span', { class: 'connection', 'data-role': 'connection' });
  const showConnection = () => {
    const states = [state.feed.state, ...map.streamStates()];
    const text = states.every((s) => s === 'live') ? 'live' : states.includes('reconnecting') ? 'reconnecting…' : 'loading…';
    connection.textContent = text;
    connection.className = `connection ${text === 'live' ? 'ok' : 'warn'}`;
  };
  state.feed.onState(showConnection);
  map.onStreamState(showConnection);
  const links = ROUTES.map((route) => h('a', { href: `#/${route.path}`, 'data-route': route.path }, route.label));
  const signOut = tokenStore.get() === null ? null : h('button', { type: 'button', class: 'sign-out', onclick: () => (tokenStore.clear(), location.reload()) }, 'Sign out');
  const main = h('main', {}, ...Object.values(views).map((view) => view.element));
  replaceChildren(root, h('header', { class: 'top' }, h('h1', {}, 'ECS cluster state'), h('nav', {}, ...links), connection, signOut), main);

  const route = () => {
    const [path = 'clusters', argument] = location.hash.replace(/^#\/?/, '').split('/');
    const current = path in views ? (path as keyof typeof views) : 'clusters';
    if (current === 'map') map.select(argument === undefined ? undefined : decodeURIComponent(argument));
    for (const [name, view] of Object.entries(views)) {
      const active = name === current;
      view.element.hidden = !active;
      if (active) view.show();
      else view.hide();
    }
    for (const link of links) link.classList.toggle('current', link.dataset['route'] === current);
  };
  window.addEventListener('hashchange', route);
  // A token that stops working (rotated away) sends the person back to sign in.
  api.onUnauthorized = () => {
    state.feed.stop();
    map.stop();
    tokenStore.clear();
    location.reload();
  };
  state.feed.start();
  showConnection();
  route();
}

/** Mounts the dashboard into `root`: signs in when the API asks for a token, then shows the views. */
export function startDashboard(root: HTMLElement): void {
  document.head.appendChild(h('style', {}, STYLES));
  // The page is served at <api>/ui/: the API is one level up, wherever a proxy mounts it.
  const api = new ApiClient(new URL('../', location.href));
  const begin = async () => {
    const answer = await probe(api);
    if (answer === 'ok') return showDashboard(root, api);
    if (answer !== 'unauthorized') {
      replaceChildren(root, h('p', { class: 'bad' }, `The API did not answer: ${answer}. Retrying…`));
      setTimeout(() => void begin(), 2000);
      return;
    }
    tokenStore.clear();
    replaceChildren(
      root,
      loginView(async (token) => {
        tokenStore.set(token);
        const result = await probe(api);
        if (result === 'ok') {
          showDashboard(root, api);
          return null;
        }
        tokenStore.clear();
        return result === 'unauthorized' ? 'That token is not accepted.' : result;
      }),
    );
  };
  void begin();
}
