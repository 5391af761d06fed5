import { sqsError } from './sqs-errors';

/**
 * Receipt handles are opaque to clients; this one names the queue, the message and
 * the receive, so that a handle from an earlier receive of the same message is
 * recognisably stale.
 */
export interface ReceiptHandleParts {
  queueName: string;
  messageId: string;
  serial: number;
}

export function encodeReceiptHandle(parts: ReceiptHandleParts): string {
  return Buffer.from(`${parts.queueName}\n${parts.messageId}\n${parts.serial}`, 'utf8').toString('base64url');
}

export function decodeReceiptHandle(handle: string): ReceiptHandleParts {
  const fields = Buffer.from(handle, 'base64url').toString('utf8').split('\n');
  const [queueName, messageId, serial] = fields;
  if (fields.length !== 3 || !queueName || !messageId || !serial || !/^\d+$/.test(serial)) {
    throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  }
  return { queueName, messageId, serial: Number(serial) };
}
