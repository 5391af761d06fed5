import type { KeyPrefix, StateRecord } from '@ecs-state/domain';
import type { Etcd3 } from 'etcd3';
import type { RecordProjection } from './tolerant-codec';
import type { ViewLogger } from './view-logger';

export interface StateViewOptions<S = StateRecord> {
  readonly client: Etcd3;
  readonly prefix: KeyPrefix;
  /** Changes kept in memory for streams from a past revision and paged listings. */
  readonly historySize?: number;
  /** How often etcd's revision is probed to measure staleness. */
  readonly probeIntervalMs?: number;
  /** Staleness above which the view reports itself out of sync. */
  readonly maxStalenessMs?: number;
  /**
   * How long `subscribeFrom` may wait for etcd when it must open a watch of
   * its own (a start older than the history) before it gives up with
   * StoreUnavailableError. Pass the client's request timeout.
   */
  readonly storeTimeoutMs?: number;
  readonly logger?: ViewLogger;
  readonly now?: () => number;
  /**
   * What the view keeps of each record instead of the record (e.g. the response
   * bytes and the few fields filters read): fewer, smaller live objects make
   * garbage collection cheaper. Required unless `S` is StateRecord.
   */
  readonly project?: RecordProjection<S>;
}

export const STATE_VIEW_DEFAULTS = {
  historySize: 10_000,
  probeIntervalMs: 1_000,
  maxStalenessMs: 5_000,
  storeTimeoutMs: 10_000,
} as const;
