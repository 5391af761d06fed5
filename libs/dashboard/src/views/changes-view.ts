import { h, replaceChildren } from '../dom';
import type { FeedChange } from '../change-feed';
import type { DashboardState, View } from '../state';

/** Entries kept on the page; older ones fall off the end. */
const MAX_ENTRIES = 300;

type FeedEntry = FeedChange;

function describe(entry: FeedEntry): HTMLElement {
  const { change } = entry;
  const time = change.receivedAt.toLocaleTimeString();
  const status =
    entry.kind === 'task' ? entry.change.summary.lastStatus : `${entry.change.summary.status}${entry.change.summary.agentConnected ? '' : ' · agent disconnected'}`;
  const what = entry.kind === 'task' ? entry.change.summary.family : entry.change.summary.ec2InstanceId;
  return h(
    'li',
    { class: change.deleted ? 'deleted' : `s-${status.toLowerCase().replace(/\W.*$/, '')}`, 'data-kind': entry.kind, 'data-id': change.summary.id, 'data-deleted': change.deleted ? 'true' : undefined },
    h('time', {}, time),
    h('span', { class: 'rev' }, `r${change.revision}`),
    h('span', { class: 'kind' }, entry.kind),
    h('span', { class: 'cluster' }, change.summary.cluster),
    h('span', { class: 'id' }, change.summary.id),
    h('span', { class: 'what' }, what),
    h('span', { class: 'status' }, change.deleted ? 'deleted (tombstone)' : status),
  );
}

/** Every change the streams deliver, newest first, tombstones included; pausing holds new ones back. */
export function changesView(state: DashboardState): View {
  const element = h('section', { class: 'view', 'data-view': 'changes' });
  const list = h('ol', { class: 'feed' });
  const held: FeedEntry[] = [];
  const counter = h('span', { class: 'muted', 'data-role': 'held' });
  let paused = false;
  const pause = h('button', { type: 'button', 'data-action': 'pause' }, 'Pause');

  const add = (entries: FeedEntry[]) => {
    for (const entry of entries) list.insertBefore(describe(entry), list.firstChild);
    while (list.childElementCount > MAX_ENTRIES) list.lastElementChild?.remove();
  };
  const receive = (entry: FeedEntry) => {
    if (paused) {
      held.push(entry);
      if (held.length > MAX_ENTRIES) held.shift();
      counter.textContent = `${held.length} new ${held.length === 1 ? 'change' : 'changes'} held`;
    } else add([entry]);
  };
  state.feed.onChange(receive);
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    pause.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      add(held.splice(0));
      counter.textContent = '';
    }
  });

  replaceChildren(element, h('h2', {}, 'Recent changes'), h('p', { class: 'muted' }, 'Changes since this page loaded, as the streams deliver them. ', pause, ' ', counter), list);
  return { element, show: () => undefined, hide: () => undefined };
}
