import { setTimeout as sleep } from 'node:timers/promises';
import { ApiStatusError, ApiUnreachableError } from './api-errors';
import type { RecordRow } from './record-columns';
import type { RecordItem } from './record-item';
import { RESOURCE_ROUTES } from './resource-kind';
import type { Selection } from './selection';
import { StreamEndedError, type StateApi } from './state-api';

export interface WatchOptions {
  selection: Selection;
  /** The listed records that matched, by ARN: a change to one of them is MODIFIED, not ADDED. */
  listed: Set<string>;
  afterRevision: string;
  signal: AbortSignal;
  /** How long to keep trying when the API goes away (a restart), in ms. */
  reconnectMs: number;
  retryMs: number;
  onChange(row: RecordRow): void;
  notice(text: string): void;
}

/** The API has reloaded its view of etcd: changes may be missing, only a new list is exact. */
export class WatchLostError extends Error {}

/**
 * Prints every change after the listed revision that concerns the selection, until
 * `signal` aborts. Streams take no filter, so the selection is applied here. A stream
 * the API ends (shutdown, slow reader) or a dropped connection resumes after the last
 * revision seen, so nothing is missed or repeated.
 */
export async function watchChanges(api: StateApi, options: WatchOptions): Promise<void> {
  const { selection, listed, signal } = options;
  const arnField = RESOURCE_ROUTES[selection.kind].arnField;
  let after = options.afterRevision;
  let failingSince: number | undefined;
  while (!signal.aborted) {
    try {
      for await (const item of api.changes(selection.kind, after, signal)) {
        failingSince = undefined;
        after = item.metadata.entityVersion;
        const row = classify(item, selection, listed, arnField);
        if (row !== undefined) options.onChange(row);
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof StreamEndedError) {
        if (err.reason === 'view_resync') throw new WatchLostError(`the API reloaded its view of etcd (${err.message}); run the command again for an exact list`);
        after = err.resumeAfterRevision ?? after;
        options.notice(`the stream ended (${err.reason}: ${err.message}); resuming after revision ${after}`);
      } else {
        const retryable = err instanceof ApiUnreachableError || (err instanceof ApiStatusError && err.status === 503);
        if (!retryable) throw err;
        failingSince ??= Date.now();
        if (Date.now() - failingSince > options.reconnectMs) throw err;
      }
      await sleep(options.retryMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

function classify(item: RecordItem, selection: Selection, listed: Set<string>, arnField: string): RecordRow | undefined {
  const arn = item.entity[arnField];
  if (typeof arn !== 'string') return undefined;
  const known = listed.has(arn);
  if (item.metadata.deleted === true) {
    listed.delete(arn);
    return known || selection.matches(item.entity) ? { item, event: 'DELETED' } : undefined;
  }
  if (selection.matches(item.entity)) {
    listed.add(arn);
    return { item, event: known ? 'MODIFIED' : 'ADDED' };
  }
  // It no longer matches (a task that stopped, under --status RUNNING): its last change is shown once.
  if (!known) return undefined;
  listed.delete(arn);
  return { item, event: 'MODIFIED' };
}
