import { parseClusterArn } from '../arn/cluster-arn';
import type { ContainerInstanceRecord } from '../records/container-instance-record';
import { isPlainObject } from '../records/json-tree';
import { normalizeStateRecord } from '../records/state-record';
import type { TaskRecord } from '../records/task-record';
import type { Failure } from '../result/result';
import { fail } from '../result/result';
import { describeType, quote } from '../text/quote';
import { recordKindOfDetailType } from './detail-types';
import type { EventMetadata } from './eventbridge-envelope';
import { readEcsEnvelope } from './eventbridge-envelope';
import type { RejectReason } from './reject-reason';
import type { ServiceChange } from './service-event';
import { parseServiceEvent } from './service-event';
import { looksLikeSnsNotification, unwrapSnsNotification } from './sns-envelope';
import { utf8ByteLength } from './utf8-length';

/** SQS's maximum message size. */
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;

export type ParsedTaskEvent = {
  readonly ok: true;
  readonly kind: 'task';
  readonly record: TaskRecord;
  readonly event: EventMetadata;
};

export type ParsedInstanceEvent = {
  readonly ok: true;
  readonly kind: 'instance';
  readonly record: ContainerInstanceRecord;
  readonly event: EventMetadata;
};

/** An `ECS Service Action` or `ECS Deployment State Change`: a change to merge into the service's record. */
export type ParsedServiceEvent = {
  readonly ok: true;
  readonly kind: 'service';
  readonly change: ServiceChange;
  readonly event: EventMetadata;
};

/** A well-formed ECS event of a kind this service does not store. Not an error. */
export type IgnoredEvent = {
  readonly ok: false;
  readonly ignored: true;
  readonly detailType: string;
};

export type RejectedMessage = Failure<RejectReason> & { readonly ignored: false };

export type ParseOutcome = ParsedTaskEvent | ParsedInstanceEvent | ParsedServiceEvent | IgnoredEvent | RejectedMessage;

export interface ParseEventOptions {
  /** Bodies over this many UTF-8 bytes are rejected as `too_large`. */
  readonly maxBytes?: number;
}

function reject(reason: RejectReason, message: string): RejectedMessage {
  return { ...fail(reason, message), ignored: false };
}

function inDetail(message: string): string {
  return message.startsWith('[') ? `detail${message}` : `detail.${message}`;
}

/**
 * Reads one SQS message body: an EventBridge event from `aws.ecs`, either
 * as delivered by EventBridge or wrapped in an SNS notification. Never throws.
 */
export function parseEventMessage(body: string, options: ParseEventOptions = {}): ParseOutcome {
  try {
    return parseBody(body, options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  } catch (error) {
    // Unreachable for string input; guards callers that pass anything else.
    return reject('malformed_json', `message could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseBody(body: unknown, maxBytes: number): ParseOutcome {
  if (typeof body !== 'string') {
    return reject('malformed_json', `message body must be a string, got ${describeType(body)}`);
  }
  // Every UTF-16 unit is one to three UTF-8 bytes (a surrogate pair is four
  // for two units): count only when the length alone does not decide.
  if (body.length > maxBytes || (body.length * 3 > maxBytes && utf8ByteLength(body) > maxBytes)) {
    return reject('too_large', `message body is ${utf8ByteLength(body)} bytes, over the limit of ${maxBytes}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return reject('malformed_json', `message body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(parsed)) {
    return reject('not_an_object', `message body must be a JSON object, got ${describeType(parsed)}`);
  }
  let envelopeObject = parsed;
  if (looksLikeSnsNotification(parsed)) {
    const unwrapped = unwrapSnsNotification(parsed);
    if (!unwrapped.ok) return reject(unwrapped.reason, unwrapped.message);
    envelopeObject = unwrapped.value;
  }
  const envelope = readEcsEnvelope(envelopeObject);
  if (!envelope.ok) return reject(envelope.reason, envelope.message);
  const { detail, id, time, region, account, detailType } = envelope.value;
  const event: EventMetadata = { id, time, region, account, detailType };
  const kind = recordKindOfDetailType(event.detailType);
  if (kind === undefined) {
    return { ok: false, ignored: true, detailType: event.detailType };
  }
  if (!isPlainObject(detail)) {
    return reject('invalid_envelope', `detail of a ${quote(event.detailType)} event must be an object, got ${describeType(detail)}`);
  }
  if (kind === 'service') {
    const change = parseServiceEvent(envelope.value);
    return change.ok ? { ok: true, kind, change: change.value, event } : reject(change.reason, change.message);
  }
  const state = normalizeStateRecord(kind, detail);
  if (!state.ok) return reject(state.reason, inDetail(state.message));
  // The record is valid, so its cluster ARN parses.
  const cluster = parseClusterArn(state.value.record.clusterArn);
  if (cluster.ok && (cluster.value.region !== event.region || cluster.value.account !== event.account)) {
    return reject(
      'arn_mismatch',
      `event envelope is from region ${quote(event.region)} account ${quote(event.account)} but detail.clusterArn ${quote(cluster.value.arn)} is in region ${quote(cluster.value.region)} account ${quote(cluster.value.account)}`,
    );
  }
  if (state.value.kind === 'task') return { ok: true, kind: 'task', record: state.value.record, event };
  if (state.value.kind === 'instance') return { ok: true, kind: 'instance', record: state.value.record, event };
  // normalizeStateRecord gives the kind it was asked for, never a service here.
  return reject('invalid_envelope', `detail of a ${quote(event.detailType)} event is not a task or container instance`);
}
