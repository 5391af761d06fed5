import type { MessageHandle, ReceiveOptions, QueueAttributesSummary, BatchFailure, ReceiveResult } from './message-queue';
import type { QueueTarget } from './queue-client';

/**
 * Messages between a ThreadedQueue and the worker thread that makes its SQS
 * calls. Both ends are this library, in one process: the shapes are trusted,
 * and they hold only data the structured clone algorithm copies.
 */

/** Client settings a thread can be given; anything left out comes from the SDK's standard variables. */
export interface QueueThreadClientSettings {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface QueueThreadData {
  pollers: number;
  target: QueueTarget;
  client?: QueueThreadClientSettings;
}

export type QueueCall =
  | { op: 'receive'; options: ReceiveOptions }
  | { op: 'deleteBatch'; messages: MessageHandle[] }
  | { op: 'changeVisibilityBatch'; messages: MessageHandle[]; seconds: number }
  | { op: 'attributes' };

/** What each call resolves to. */
export interface QueueCallResults {
  receive: ReceiveResult;
  deleteBatch: BatchFailure[];
  changeVisibilityBatch: BatchFailure[];
  attributes: QueueAttributesSummary;
}

export interface SerializedError {
  name: string;
  message: string;
}

export type ToQueueThread = { kind: 'call'; id: number; call: QueueCall } | { kind: 'interrupt' };

export type FromQueueThread =
  | { kind: 'opened'; queueUrl: string }
  | { kind: 'openFailed'; error: SerializedError }
  | { kind: 'result'; id: number; value: QueueCallResults[QueueCall['op']] }
  | { kind: 'error'; id: number; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
}

export function deserializeError(error: SerializedError): Error {
  const err = new Error(error.message);
  err.name = error.name;
  return err;
}
