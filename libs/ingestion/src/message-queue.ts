/** A received SQS message, validated into the fields the ingestor relies on. */
export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  /** How many times SQS has handed this message out, this time included. */
  receiveCount: number;
  sentAt?: Date;
}

/** What a deletion or visibility change needs of a message. */
export type MessageHandle = Pick<ReceivedMessage, 'messageId' | 'receiptHandle'>;

export interface ReceiveOptions {
  maxMessages: number;
  waitSeconds: number;
  visibilityTimeout: number;
}

export interface ReceiveResult {
  messages: ReceivedMessage[];
  /** Messages SQS returned without an id, receipt handle or body. */
  malformed: number;
}

export interface BatchFailure {
  messageId: string;
  code: string;
  message: string;
}

export interface QueueAttributesSummary {
  queueArn?: string;
  visibleMessages: number;
  inFlightMessages: number;
  /** maxReceiveCount of the queue's redrive policy; undefined when there is none. */
  maxReceiveCount?: number;
  deadLetterTargetArn?: string;
}

/**
 * The ingestor's SQS calls on one queue. Implemented on the calling thread
 * (QueueClient) and on a worker thread of its own (ThreadedQueue).
 */
export interface MessageQueue {
  readonly queueUrl: string;
  /**
   * Long-polls for up to `maxMessages`. interruptReceives() ends the poll early;
   * any message SQS handed out meanwhile reappears after its visibility timeout.
   */
  receive(options: ReceiveOptions): Promise<ReceiveResult>;
  /** Ends every receive in flight (they reject) and fails later ones at once: for shutdown. */
  interruptReceives(): void;
  /** Deletes messages; returns the entries SQS refused (e.g. an expired receipt handle). */
  deleteBatch(messages: readonly MessageHandle[]): Promise<BatchFailure[]>;
  /** Hides messages for `seconds` more, so that a message that cannot be processed is not retried in a hot loop. */
  changeVisibilityBatch(messages: readonly MessageHandle[], seconds: number): Promise<BatchFailure[]>;
  attributes(): Promise<QueueAttributesSummary>;
  /** Releases the connections (and the thread, if any); calls after it fail. */
  close(): Promise<void>;
}
