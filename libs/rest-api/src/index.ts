export { API_DEFAULTS, buildApiServer, type ApiLogger, type ApiServerOptions } from './build-api-server';
export type { DashboardAssets } from './dashboard/dashboard-assets';
export { ApiError, MESSAGES } from './http/api-error';
export { API_METRICS, VIEW_METRICS } from './metrics/api-metrics';
export type { ReconcileService } from './reconcile/reconcile-service';
export { viewProblem } from './routes/view-readiness';
export type { PageLimits } from './query/page-token';
export { toInstanceEntity, toTaskEntity } from './v1/entity';
export { projectApiRecord, type ApiRecord, type ApiView } from './v1/api-record';
