import type { KeyPrefix } from '@ecs-state/domain';
import type { ResponseBufferPool } from '../http/response-buffer-pool';
import type { PageLimits } from '../query/page-token';
import type { ReconcileService } from '../reconcile/reconcile-service';
import type { StreamMetrics } from '../metrics/api-metrics';
import type { StreamRegistry } from '../streams/stream-registry';
import type { ApiView } from '../v1/api-record';
import type { ListBodyWriter } from '../v1/list-body-writer';

/** What the route modules share. */
export interface ApiContext {
  readonly view: ApiView;
  readonly prefix: KeyPrefix;
  readonly pageLimits: PageLimits;
  readonly streams: StreamRegistry;
  readonly streamBufferBytes: number;
  readonly streamMetrics: StreamMetrics | undefined;
  readonly reconcile: ReconcileService | undefined;
  /** Memory for list pages, reused from one response to the next. */
  readonly responseBuffers: ResponseBufferPool;
  /** Whole lists (no `limit`) whose body is still being written. */
  readonly listBodies: Set<ListBodyWriter>;
  /** See ApiServerOptions.listStallTimeoutMs. */
  readonly listStallTimeoutMs: number;
}
