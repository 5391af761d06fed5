import { z } from 'zod';

/** Names under which simulated services are registered; faults can target each one. */
export const SERVICE_NAMES = ['sqs', 'ecs', 'kinesis'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const fraction = z.number().min(0).max(1);
const nonNegative = z.number().min(0);

const serviceCallFaultsSchema = z
  .object({
    /** Added to every call of the service, before it is handled. */
    latencyMs: nonNegative,
    /** Uniform extra latency in [0, jitterMs). */
    jitterMs: nonNegative,
    /** Fraction of calls answered with a 5xx (InternalFailure 500 or ServiceUnavailable 503). */
    errorRate: fraction,
    /** Sustained calls per second before ThrottlingException; null = unlimited. */
    throttleRps: z.number().positive().nullable(),
    /** Token-bucket capacity; defaults to throttleRps when null. */
    throttleBurst: z.number().positive().nullable(),
  })
  .strict();
export type ServiceCallFaults = z.infer<typeof serviceCallFaultsSchema>;

const eventFaultsSchema = z
  .object({
    /** Fraction of events never delivered. */
    dropRate: fraction,
    /** Fraction of delivered events delivered twice. */
    duplicateRate: fraction,
    /** Each delivered copy is held for a uniform random delay in [0, maxDelayMs), which reorders events. */
    maxDelayMs: nonNegative,
  })
  .strict();
export type EventFaults = z.infer<typeof eventFaultsSchema>;

export const faultSettingsSchema = z
  .object({
    seed: z.number().int(),
    sqs: serviceCallFaultsSchema,
    ecs: serviceCallFaultsSchema,
    kinesis: serviceCallFaultsSchema,
    events: eventFaultsSchema,
  })
  .strict();
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

/**
 * A partial update. Top-level `latencyMs`, `jitterMs` and `errorRate` apply to every
 * service; per-service blocks override them.
 */
export const faultPatchSchema = z
  .object({
    seed: z.number().int().optional(),
    latencyMs: nonNegative.optional(),
    jitterMs: nonNegative.optional(),
    errorRate: fraction.optional(),
    sqs: serviceCallFaultsSchema.partial().optional(),
    ecs: serviceCallFaultsSchema.partial().optional(),
    kinesis: serviceCallFaultsSchema.partial().optional(),
    events: eventFaultsSchema.partial().optional(),
  })
  .strict();
export type FaultPatch = z.infer<typeof faultPatchSchema>;

const noCallFaults: ServiceCallFaults = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  throttleRps: null,
  throttleBurst: null,
};

export function defaultFaultSettings(seed = 1): FaultSettings {
  return {
    seed,
    sqs: { ...noCallFaults },
    ecs: { ...noCallFaults },
    kinesis: { ...noCallFaults },
    events: { dropRate: 0, duplicateRate: 0, maxDelayMs: 0 },
  };
}

export function applyFaultPatch(base: FaultSettings, patch: FaultPatch): FaultSettings {
  const shared: Partial<ServiceCallFaults> = {};
  if (patch.latencyMs !== undefined) shared.latencyMs = patch.latencyMs;
  if (patch.jitterMs !== undefined) shared.jitterMs = patch.jitterMs;
  if (patch.errorRate !== undefined) shared.errorRate = patch.errorRate;
  return {
    seed: patch.seed ?? base.seed,
    sqs: { ...base.sqs, ...shared, ...withoutUndefined(patch.sqs) },
    ecs: { ...base.ecs, ...shared, ...withoutUndefined(patch.ecs) },
    kinesis: { ...base.kinesis, ...shared, ...withoutUndefined(patch.kinesis) },
    events: { ...base.events, ...withoutUndefined(patch.events) },
  };
}

// An explicit `undefined` (e.g. an absent command-line flag) must not erase a setting.
function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
