import { isAccountId, isRegion } from '../arn/arn-components';
import { isoStringToIso } from '../records/timestamps';
import { fail, ok } from '../result/result';
import type { Result } from '../result/result';
import { describeType, quote } from '../text/quote';

export const ECS_EVENT_SOURCE = 'aws.ecs';

/** The envelope fields an event carries besides its `detail`. */
export interface EventMetadata {
  readonly id: string;
  /** The envelope `time`, as an ISO string with milliseconds. */
  readonly time: string;
  readonly region: string;
  readonly account: string;
  readonly detailType: string;
}

export interface EcsEventEnvelope extends EventMetadata {
  readonly detail: unknown;
  /** ARNs of the resources the event is about (a service event names its service here). */
  readonly resources: readonly string[];
}

type EnvelopeRejectReason = 'invalid_envelope' | 'unexpected_source';

function requireString(envelope: Readonly<Record<string, unknown>>, field: string): Result<string, 'invalid_envelope'> {
  const value = envelope[field];
  if (value === undefined) return fail('invalid_envelope', `${field} is missing from the event envelope`);
  if (typeof value !== 'string' || value === '') {
    return fail('invalid_envelope', `event envelope ${field} must be a non-empty string, got ${typeof value === 'string' ? 'an empty string' : describeType(value)}`);
  }
  return ok(value);
}

/** Validates an EventBridge envelope from `aws.ecs`; the detail is checked by the caller. */
export function readEcsEnvelope(envelope: Readonly<Record<string, unknown>>): Result<EcsEventEnvelope, EnvelopeRejectReason> {
  const source = requireString(envelope, 'source');
  if (!source.ok) return source;
  if (source.value !== ECS_EVENT_SOURCE) {
    return fail('unexpected_source', `event source is ${quote(source.value)}, expected "${ECS_EVENT_SOURCE}"`);
  }
  const detailType = requireString(envelope, 'detail-type');
  if (!detailType.ok) return detailType;
  const id = requireString(envelope, 'id');
  if (!id.ok) return id;
  const time = requireString(envelope, 'time');
  if (!time.ok) return time;
  const isoTime = isoStringToIso(time.value);
  if (isoTime === undefined) {
    return fail('invalid_envelope', `event envelope time ${quote(time.value)} is not an ISO-8601 date-time`);
  }
  const region = requireString(envelope, 'region');
  if (!region.ok) return region;
  if (!isRegion(region.value)) {
    return fail('invalid_envelope', `event envelope region ${quote(region.value)} is not a valid region`);
  }
  const account = requireString(envelope, 'account');
  if (!account.ok) return account;
  if (!isAccountId(account.value)) {
    return fail('invalid_envelope', `event envelope account ${quote(account.value)} is not a 12-digit account id`);
  }
  const version = envelope['version'];
  if (version !== undefined && typeof version !== 'string') {
    return fail('invalid_envelope', `event envelope version must be a string, got ${describeType(version)}`);
  }
  const resources = envelope['resources'];
  if (resources !== undefined && !(Array.isArray(resources) && resources.every((item) => typeof item === 'string'))) {
    return fail('invalid_envelope', 'event envelope resources must be an array of strings');
  }
  return ok({
    id: id.value,
    time: isoTime,
    region: region.value,
    account: account.value,
    detailType: detailType.value,
    detail: envelope['detail'],
    resources: (resources as readonly string[] | undefined) ?? [],
  });
}
