export { createTolerantCodec, type DecodedRecord, type RecordProjection } from './tolerant-codec';
export type { ViewChange, ViewEntry } from './view-entry';
export type { ListQuery, ListResult } from './list-query';
export { RevisionUnavailableError, StateViewError, StoreUnavailableError, ViewNotReadyError } from './errors';
export {
  STATE_VIEW_DEFAULTS,
  StateView,
  type StateViewOptions,
  type SubscribeFromOptions,
  type SubscriptionEndReason,
  type ViewLogger,
  type ViewStatus,
  type ViewSubscription,
} from './state-view';
