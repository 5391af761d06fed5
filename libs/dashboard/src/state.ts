import type { ApiClient } from './api-client';
import type { ChangeFeed } from './change-feed';
import type { LiveSummary } from './live-summary';
import type { TaskSummary } from './records';

/**
 * What every view reads: the API, the counts per cluster and the stream of
 * changes. No view holds every record: the map loads one cluster, the task
 * table one page.
 */
export interface DashboardState {
  readonly api: ApiClient;
  readonly summary: LiveSummary;
  readonly feed: ChangeFeed;
}

/** A page of the dashboard; only the visible one renders. */
export interface View {
  readonly element: HTMLElement;
  show(): void;
  hide(): void;
}

/** Tasks that are no longer placed: they leave the map. */
export function isStopped(task: TaskSummary): boolean {
  return task.lastStatus === 'STOPPED' || task.lastStatus === 'DELETED';
}
