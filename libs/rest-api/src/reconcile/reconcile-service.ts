import type { ReconcileRunView } from '@ecs-state/reconcile-jobs';

/**
 * The part of the reconcile job client the API needs (see @ecs-state/reconcile-jobs).
 * Calls reject with RedisUnavailableError when the queue cannot be reached in time
 * (answered 503 with Retry-After); any other rejection is unexpected (500).
 */
export interface ReconcileService {
  /** Every cluster when `clusters` is absent; resolves once the run is durable. */
  enqueue(clusters?: readonly string[]): Promise<{ id: string; coalesced: boolean }>;
  get(id: string): Promise<ReconcileRunView | null>;
  /** The `limit` most recently requested runs, newest first. */
  list(limit: number): Promise<ReconcileRunView[]>;
}
