import { AwsError } from '../aws/aws-error';
import type { Random } from '../aws/prng';
import { deriveSeed, mulberry32 } from '../aws/prng';
import type { EventFaults, FaultPatch, FaultSettings, ServiceName } from './fault-settings';
import { applyFaultPatch, defaultFaultSettings, faultPatchSchema, SERVICE_NAMES } from './fault-settings';
import { TokenBucket } from './token-bucket';

/** What each service answers when its request rate is exceeded, as AWS does. */
const THROTTLE_ERRORS: Readonly<Record<ServiceName, string>> = {
  sqs: 'ThrottlingException',
  ecs: 'ThrottlingException',
  kinesis: 'ProvisionedThroughputExceededException',
};

/** What the server does to one call before (or instead of) handling it. */
export interface CallPlan {
  delayMs: number;
  error: AwsError | null;
}

/**
 * Holds the current fault settings, changeable at runtime, and the seeded random
 * streams that decide which calls and events are hit. Call faults and event faults
 * draw from separate streams so that traffic on one never changes the other's outcome.
 */
export class FaultController {
  private current: FaultSettings;
  private callRandom: Random;
  private eventRandomStream: Random;
  private readonly buckets = new Map<ServiceName, TokenBucket>();

  constructor(initial: FaultPatch = {}) {
    this.current = applyFaultPatch(defaultFaultSettings(), faultPatchSchema.parse(initial));
    this.callRandom = mulberry32(deriveSeed(this.current.seed, 'calls'));
    this.eventRandomStream = mulberry32(deriveSeed(this.current.seed, 'events'));
    this.rebuildBuckets();
  }

  get settings(): FaultSettings {
    return structuredClone(this.current);
  }

  /** The live event-fault settings, without copying: read on every published event. */
  get eventFaults(): Readonly<EventFaults> {
    return this.current.events;
  }

  /** Merges a partial update (validated); a new seed restarts the random streams. */
  update(patch: unknown): FaultSettings {
    return this.install(applyFaultPatch(this.current, faultPatchSchema.parse(patch)));
  }

  /** Replaces every setting; anything missing from `patch` is reset to "no fault". */
  replace(patch: unknown): FaultSettings {
    const parsed = faultPatchSchema.parse(patch);
    return this.install(applyFaultPatch(defaultFaultSettings(this.current.seed), parsed));
  }

  planCall(service: ServiceName): CallPlan {
    const faults = this.current[service];
    const delayMs = faults.latencyMs + (faults.jitterMs > 0 ? this.callRandom() * faults.jitterMs : 0);
    const bucket = this.buckets.get(service);
    if (bucket && !bucket.tryTake()) {
      return { delayMs, error: new AwsError(THROTTLE_ERRORS[service], 'Rate exceeded', 400) };
    }
    if (faults.errorRate > 0 && this.callRandom() < faults.errorRate) {
      const error =
        this.callRandom() < 0.5
          ? new AwsError('InternalFailure', 'The request processing has failed because of an unknown error.', 500)
          : new AwsError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
      return { delayMs, error };
    }
    return { delayMs, error: null };
  }

  /** A draw in [0, 1) from the event-fault stream. */
  eventRandom(): number {
    return this.eventRandomStream();
  }

  private install(next: FaultSettings): FaultSettings {
    const reseed = next.seed !== this.current.seed;
    const throttleChanged = SERVICE_NAMES.some(
      (s) => next[s].throttleRps !== this.current[s].throttleRps || next[s].throttleBurst !== this.current[s].throttleBurst,
    );
    this.current = next;
    if (reseed) {
      this.callRandom = mulberry32(deriveSeed(next.seed, 'calls'));
      this.eventRandomStream = mulberry32(deriveSeed(next.seed, 'events'));
    }
    if (throttleChanged) this.rebuildBuckets();
    return this.settings;
  }

  private rebuildBuckets(): void {
    this.buckets.clear();
    for (const service of SERVICE_NAMES) {
      const { throttleRps, throttleBurst } = this.current[service];
      if (throttleRps !== null) {
        this.buckets.set(service, new TokenBucket(throttleRps, throttleBurst ?? throttleRps));
      }
    }
  }
}
