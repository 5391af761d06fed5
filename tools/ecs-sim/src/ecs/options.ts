import type { EventPublisher } from '../aws/event-publisher';
import type { ArnFormat } from './arns';

/** A cluster tag that picks the ARN format of its tasks and container instances. */
export const ARN_FORMAT_TAG = 'ecs-sim:arn-format';

export interface EcsServiceOptions {
  /** Default `us-east-1`. */
  region?: string;
  /** Default `123456789012`. */
  account?: string;
  /** Default `aws`. */
  partition?: string;
  /** Where state-change events go; none are built without one. */
  publisher?: EventPublisher;
  /** Epoch milliseconds; default `Date.now`. */
  clock?: () => number;
  /** How long STOPPED tasks and INACTIVE instances stay visible; default one hour. */
  stoppedTaskRetentionMs?: number;
  /** ARN format of clusters without an `ecs-sim:arn-format` tag; default `long`. */
  defaultArnFormat?: ArnFormat;
  /** Delay of PENDING -> RUNNING (and by default of desired STOPPED -> STOPPED); default 50 ms; 0 is immediate. */
  transitionDelayMs?: number;
  /** Delay of desired STOPPED -> STOPPED; default `transitionDelayMs`. */
  stopDelayMs?: number;
  /** How often the service scheduler makes a pass over the services; default 100 ms; 0: only when `tickServices()` is called. */
  serviceTickMs?: number;
  /** Seeds generated identifiers (task IDs, UUIDs, event IDs) so that a run can be replayed. */
  seed?: number;
}

export interface ResolvedOptions {
  readonly region: string;
  readonly account: string;
  readonly partition: string;
  readonly publisher: EventPublisher | undefined;
  readonly clock: () => number;
  readonly retentionMs: number;
  readonly defaultArnFormat: ArnFormat;
  readonly transitionDelayMs: number;
  readonly stopDelayMs: number;
  readonly serviceTickMs: number;
  readonly seed: number;
}

export function resolveOptions(options: EcsServiceOptions = {}): ResolvedOptions {
  const transitionDelayMs = options.transitionDelayMs ?? 50;
  const retentionMs = options.stoppedTaskRetentionMs ?? 60 * 60 * 1000;
  const stopDelayMs = options.stopDelayMs ?? transitionDelayMs;
  const serviceTickMs = options.serviceTickMs ?? 100;
  if (transitionDelayMs < 0 || stopDelayMs < 0 || retentionMs < 0 || serviceTickMs < 0) throw new RangeError('delays must not be negative');
  return {
    region: options.region ?? 'us-east-1',
    account: options.account ?? '123456789012',
    partition: options.partition ?? 'aws',
    publisher: options.publisher,
    clock: options.clock ?? Date.now,
    retentionMs,
    defaultArnFormat: options.defaultArnFormat ?? 'long',
    transitionDelayMs,
    stopDelayMs,
    serviceTickMs,
    seed: options.seed ?? (Date.now() ^ (process.pid << 16)),
  };
}
