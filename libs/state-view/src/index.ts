export { createTolerantCodec, type DecodedRecord, type RecordProjection } from './tolerant-codec';
export type { ViewChange, ViewEntry } from './view-entry';
export type { ListQuery, ListResult } from './list-query';
export { RevisionUnavailableError, StateViewError, StoreUnavailableError, ViewNotReadyError } from './errors';
export { StateView } from './state-view';
export { STATE_VIEW_DEFAULTS, type StateViewOptions } from './state-view-options';
export type { SubscribeFromOptions, SubscriptionEndReason, ViewSubscription } from './subscription';
export type { ViewLogger } from './view-logger';
export type { ViewStatus } from './view-status';
