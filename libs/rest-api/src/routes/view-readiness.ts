import type { ApiView } from '../v1/api-record';

/** Why the view cannot serve yet, or null when it is loaded, reachable and within its staleness bound. */
export function viewProblem(view: Pick<ApiView, 'status'>): string | null {
  const status = view.status();
  if (!status.started) return 'state view not loaded';
  if (!status.etcdReachable) return 'etcd unreachable';
  if (!status.inSync) return `state view behind etcd (staleness ${Math.round(status.stalenessMs)} ms)`;
  return null;
}
