import type { ApiClient } from './api-client';
import type { LiveCollection } from './live-collection';
import type { InstanceSummary, TaskSummary } from './records';

/** What every view reads: the API and the two live collections. */
export interface DashboardState {
  readonly api: ApiClient;
  readonly tasks: LiveCollection<Record<string, unknown>, TaskSummary>;
  readonly instances: LiveCollection<Record<string, unknown>, InstanceSummary>;
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
