import type { ApiClient } from '../api-client';
import { h, replaceChildren } from '../dom';

/**
 * A task's full record as the API serves it, its stop reason first. Read
 * again when opened: the summary the lists keep leaves most fields out.
 */
export function openTaskDetails(api: ApiClient, cluster: string, arn: string): void {
  document.querySelector('dialog.task-details')?.remove();
  const body = h('div', { class: 'details-body' }, h('p', { class: 'muted' }, 'Loading…'));
  const dialog = h(
    'dialog',
    { class: 'task-details' },
    h('header', {}, h('h3', {}, arn.slice(arn.lastIndexOf('/') + 1)), h('button', { type: 'button', class: 'close', onclick: () => dialog.close() }, 'Close')),
    body,
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  api
    .getJson<{ entity: Record<string, unknown> }>(`v1/tasks/${encodeURIComponent(cluster)}/${encodeURIComponent(arn)}`)
    .then(({ entity }) => {
      const reason = typeof entity['stoppedReason'] === 'string' ? entity['stoppedReason'] : '';
      const stopCode = typeof entity['stopCode'] === 'string' ? entity['stopCode'] : '';
      replaceChildren(
        body,
        h('dl', { class: 'facts' }, ...fact('last status', entity['lastStatus']), ...fact('desired status', entity['desiredStatus']), ...fact('launch type', entity['launchType']), ...fact('task definition', entity['taskDefinitionARN']), ...fact('container instance', entity['containerInstanceARN']), ...fact('group', entity['group']), ...fact('started by', entity['startedBy'])),
        reason || stopCode ? h('p', { class: 'stop-reason' }, h('strong', {}, 'Stop reason: '), [stopCode, reason].filter(Boolean).join(' — ')) : null,
        h('pre', { class: 'record' }, JSON.stringify(entity, null, 2)),
      );
    })
    .catch((error: unknown) => replaceChildren(body, h('p', { class: 'bad' }, error instanceof Error ? error.message : String(error))));
}

function fact(label: string, value: unknown): Node[] {
  if (typeof value !== 'string' || value === '') return [];
  return [h('dt', {}, label), h('dd', {}, value)];
}
