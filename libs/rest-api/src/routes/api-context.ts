import type { KeyPrefix } from '@ecs-state/domain';
import type { StateView } from '@ecs-state/state-view';
import type { PageLimits } from '../query/page-token';
import type { ReconcileService } from '../reconcile/reconcile-service';
import type { StreamMetrics } from '../metrics/api-metrics';
import type { StreamRegistry } from '../streams/stream-registry';

/** What the route modules share. */
export interface ApiContext {
  readonly view: StateView;
  readonly prefix: KeyPrefix;
  readonly pageLimits: PageLimits;
  readonly streams: StreamRegistry;
  readonly streamBufferBytes: number;
  readonly streamMetrics: StreamMetrics | undefined;
  readonly reconcile: ReconcileService | undefined;
}
