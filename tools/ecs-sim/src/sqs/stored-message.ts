import type { MessageAttributeMap } from './message-attributes';

export type MessageState = 'ready' | 'delayed' | 'inflight' | 'deleted';

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: MessageAttributeMap | undefined;
  readonly sentTimestamp: number;
  /** System attributes carried with the message (AWSTraceHeader, DeadLetterQueueSourceArn). */
  readonly extraSystemAttributes: Readonly<Record<string, string>>;
  receiveCount: number;
  firstReceiveTimestamp: number | undefined;
  state: MessageState;
  /** Bumped on every state change; a hidden-heap entry whose token differs is stale. */
  token: number;
  receiptHandle: string | undefined;
}

/** A message as one receive saw it; later receives do not change it. */
export interface ReceivedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly receiptHandle: string;
  readonly messageAttributes: MessageAttributeMap | undefined;
  /** Every system attribute, as strings; the caller selects what the request asked for. */
  readonly attributes: Readonly<Record<string, string>>;
}
