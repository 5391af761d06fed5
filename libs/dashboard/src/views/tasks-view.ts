import { ApiFailure } from '../api-client';
import { h, replaceChildren } from '../dom';
import { summarizeTask, type TaskSummary } from '../records';
import type { DashboardState, View } from '../state';
import { openTaskDetails } from './task-details';

const FILTERS = [
  { name: 'status', label: 'last status', options: ['', 'PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'] },
  { name: 'cluster', label: 'cluster' },
  { name: 'family', label: 'family' },
  { name: 'group', label: 'group' },
  { name: 'startedBy', label: 'started by' },
  { name: 'launchType', label: 'launch type', options: ['', 'EC2', 'FARGATE', 'EXTERNAL'] },
  { name: 'containerInstance', label: 'container instance' },
] as const;

const COLUMNS: ReadonlyArray<{ key: keyof TaskSummary; label: string }> = [
  { key: 'cluster', label: 'cluster' },
  { key: 'id', label: 'task' },
  { key: 'family', label: 'family:revision' },
  { key: 'lastStatus', label: 'last status' },
  { key: 'desiredStatus', label: 'desired' },
  { key: 'launchType', label: 'launch type' },
  { key: 'containerInstanceArn', label: 'instance' },
  { key: 'group', label: 'group' },
  { key: 'startedAt', label: 'started' },
];

/**
 * The task list with the API's filters, one page (`limit`) at a time through
 * `nextToken`; every page of one listing is read at its first page's revision.
 * Sorting orders the page shown.
 */
export function tasksView(state: DashboardState): View {
  const element = h('section', { class: 'view', 'data-view': 'tasks' });
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const pageSize = h('select', { name: 'limit' }, ...[25, 50, 100, 500].map((n) => h('option', { value: n, selected: n === 50 }, `${n} per page`)));
  const status = h('p', { class: 'muted', 'data-role': 'page-status' });
  const table = h('div', { class: 'table-wrap' });
  const previous = h('button', { type: 'button', 'data-action': 'previous', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', 'data-action': 'next', disabled: true }, 'Next →');
  let rows: TaskSummary[] = [];
  let sort: { key: keyof TaskSummary; descending: boolean } | undefined;
  /** Tokens of the pages before the one shown (undefined: the first page). */
  const tokens: Array<string | undefined> = [];
  let current: string | undefined;
  let nextToken: string | undefined;
  let revision: number | undefined;
  let loaded = false;
  let applied: Record<string, string | undefined> = {};

  const form = h(
    'form',
    { class: 'filters' },
    ...FILTERS.map((filter) => {
      const input =
        'options' in filter
          ? h('select', { name: filter.name }, ...filter.options.map((option) => h('option', { value: option }, option === '' ? 'any' : option)))
          : h('input', { name: filter.name, type: 'text', placeholder: 'any', autocomplete: 'off' });
      inputs.set(filter.name, input);
      return h('label', {}, h('span', {}, filter.label), input);
    }),
    h('label', {}, h('span', {}, 'page'), pageSize),
    h('button', { type: 'submit', 'data-action': 'apply' }, 'Apply'),
  );

  const renderTable = () => {
    const shown = [...rows];
    if (sort !== undefined) {
      const { key, descending } = sort;
      // Code-point order: ids are hex, timestamps ISO 8601, and both sort right that way.
      const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      shown.sort((a, b) => compare(String(a[key]), String(b[key])) * (descending ? -1 : 1));
    }
    replaceChildren(
      table,
      h(
        'table',
        { class: 'tasks' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...COLUMNS.map((column) =>
              h(
                'th',
                {
                  'data-sort': column.key,
                  class: sort?.key === column.key ? (sort.descending ? 'sorted desc' : 'sorted asc') : undefined,
                  onclick: () => {
                    sort = { key: column.key, descending: sort?.key === column.key ? !sort.descending : false };
                    renderTable();
                  },
                },
                column.label,
              ),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...shown.map((task) =>
            h(
              'tr',
              { 'data-task-id': task.id, onclick: () => openTaskDetails(state.api, task.cluster, task.arn) },
              ...COLUMNS.map((column) => {
                const value = String(task[column.key]);
                return h('td', { 'data-column': column.key }, column.key === 'containerInstanceArn' ? value.slice(value.lastIndexOf('/') + 1) : value);
              }),
            ),
          ),
        ),
      ),
    );
  };

  const load = async (token: string | undefined) => {
    // Later pages repeat the first page's filters: a nextToken is refused with others.
    if (token === undefined) {
      applied = { limit: pageSize.value };
      for (const [name, input] of inputs) applied[name] = input.value.trim() || undefined;
    }
    const query = { ...applied, nextToken: token };
    status.textContent = 'Loading…';
    try {
      const page = await state.api.listPage<Record<string, unknown>>('v1/tasks', query);
      rows = page.items.map((item) => summarizeTask(item.entity));
      current = token;
      nextToken = page.nextToken;
      revision = token === undefined ? page.revision : revision;
      status.textContent = `Page ${tokens.length + 1}: ${rows.length} tasks${nextToken === undefined ? '' : ', more follow'} (store revision ${revision})`;
      renderTable();
    } catch (error) {
      status.textContent = error instanceof ApiFailure && error.status === 410 ? 'The listing expired: apply the filters again.' : `Error: ${error instanceof Error ? error.message : String(error)}`;
    }
    previous.disabled = tokens.length === 0;
    next.disabled = nextToken === undefined;
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    tokens.length = 0;
    void load(undefined);
  });
  next.addEventListener('click', () => {
    if (nextToken === undefined) return;
    tokens.push(current);
    void load(nextToken);
  });
  previous.addEventListener('click', () => {
    if (tokens.length === 0) return;
    void load(tokens.pop());
  });

  replaceChildren(element, h('h2', {}, 'Tasks'), form, h('div', { class: 'pager' }, previous, next, status), table);
  return {
    element,
    show() {
      if (!loaded) {
        loaded = true;
        void load(undefined);
      }
    },
    hide() {
      // The page shown stays as it is: a listing is a snapshot at its revision.
    },
  };
}
