import type { StateRecord } from '@ecs-state/domain';
import type { ViewChange } from './view-entry';

/** Why a subscription ended. */
export type SubscriptionEndReason = 'view_resync' | 'view_stopped';

export interface ViewSubscription {
  close(): void;
}

/** Receives the changes of one or more whole revisions, in revision order. */
export type ChangeListener<S = StateRecord> = (changes: readonly ViewChange<S>[]) => void;

export type EndListener = (reason: SubscriptionEndReason) => void;

export interface SubscribeFromOptions {
  /** The caller no longer wants the subscription (e.g. its client left): `subscribeFrom` rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}
