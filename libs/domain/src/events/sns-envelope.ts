import { isPlainObject } from '../records/json-tree';
import { fail, ok } from '../result/result';
import type { Result } from '../result/result';
import { describeType, quote } from '../text/quote';

/**
 * An SNS notification delivered to SQS without raw message delivery wraps the
 * EventBridge event as a JSON string in `Message`. EventBridge envelopes never
 * have `Type`/`Message`/`TopicArn`, and SNS ones never have `source`/`detail`.
 */
export function looksLikeSnsNotification(message: Readonly<Record<string, unknown>>): boolean {
  const has = (key: string): boolean => Object.prototype.hasOwnProperty.call(message, key);
  const snsShaped = has('Type') || has('Message') || has('TopicArn');
  const eventShaped = has('source') || has('detail-type') || has('detail');
  return snsShaped && !eventShaped;
}

export function unwrapSnsNotification(
  message: Readonly<Record<string, unknown>>,
): Result<Readonly<Record<string, unknown>>, 'invalid_sns_envelope'> {
  const type = message['Type'];
  if (type !== 'Notification') {
    const shown = typeof type === 'string' ? quote(type) : describeType(type);
    return fail('invalid_sns_envelope', `SNS Type is ${shown}; only "Notification" carries an event`);
  }
  const inner = message['Message'];
  if (typeof inner !== 'string') {
    return fail('invalid_sns_envelope', `SNS Message must be a string holding the event JSON, got ${describeType(inner)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(inner);
  } catch (error) {
    return fail('invalid_sns_envelope', `SNS Message is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(parsed)) {
    return fail('invalid_sns_envelope', `SNS Message must hold a JSON object, got ${describeType(parsed)}`);
  }
  return ok(parsed);
}
