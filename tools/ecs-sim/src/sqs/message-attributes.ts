import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sqsError } from './sqs-errors';

/** Binary values travel base64-encoded in the JSON protocol and are kept that way. */
export const messageAttributeValueSchema = z.object({
  DataType: z.string().min(1),
  StringValue: z.string().optional(),
  BinaryValue: z.string().optional(),
  StringListValues: z.array(z.string()).optional(),
  BinaryListValues: z.array(z.string()).optional(),
});
export type MessageAttributeValue = z.infer<typeof messageAttributeValueSchema>;
export type MessageAttributeMap = Record<string, MessageAttributeValue>;

export const messageAttributeMapSchema = z.record(z.string(), messageAttributeValueSchema);

const NAME = /^(?!aws\.|amazon\.)(?!\.)(?!.*\.\.)[A-Za-z0-9_.-]{1,256}(?<!\.)$/i;
const TYPE = /^(String|Number|Binary)(\..+)?$/;

export function validateMessageAttributes(attributes: MessageAttributeMap): void {
  const names = Object.keys(attributes);
  if (names.length > 10) {
    throw sqsError('InvalidParameterValue', 'Number of message attributes [' + names.length + '] exceeds the allowed maximum [10].');
  }
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    if (!NAME.test(name)) throw sqsError('InvalidParameterValue', `Message attribute name '${name}' is invalid.`);
    if (!TYPE.test(value.DataType)) {
      throw sqsError('InvalidParameterValue', `The type of message (user) attribute '${name}' is invalid.`);
    }
    const binary = value.DataType.startsWith('Binary');
    if (binary ? value.BinaryValue === undefined : value.StringValue === undefined) {
      throw sqsError('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty message attribute value.`);
    }
  }
}

function lengthPrefixed(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length);
  hash.update(bytes);
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** MD5OfMessageAttributes as SQS computes it: names sorted, every field length-prefixed. */
export function md5OfMessageAttributes(attributes: MessageAttributeMap): string {
  const hash = createHash('md5');
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name] as MessageAttributeValue;
    lengthPrefixed(hash, Buffer.from(name, 'utf8'));
    lengthPrefixed(hash, Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(hash, Buffer.from(value.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(hash, Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** `All`, `.*`, exact names and `prefix.*` patterns, as in ReceiveMessage. */
export function selectMessageAttributes(
  attributes: MessageAttributeMap | undefined,
  requested: readonly string[] | undefined,
): MessageAttributeMap | undefined {
  if (!attributes || !requested || requested.length === 0) return undefined;
  const selected: MessageAttributeMap = {};
  let any = false;
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some(
      (r) => r === 'All' || r === '.*' || r === name || (r.endsWith('.*') && name.startsWith(r.slice(0, -1))),
    );
    if (wanted) {
      selected[name] = value;
      any = true;
    }
  }
  return any ? selected : undefined;
}

export function messageAttributesSize(attributes: MessageAttributeMap | undefined): number {
  if (!attributes) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    if (value.StringValue !== undefined) size += Buffer.byteLength(value.StringValue);
    if (value.BinaryValue !== undefined) size += Buffer.from(value.BinaryValue, 'base64').length;
  }
  return size;
}
