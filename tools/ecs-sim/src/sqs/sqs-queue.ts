import { randomUUID } from 'node:crypto';
import { FifoBuffer } from './fifo-buffer';
import type { MessageAttributeMap } from './message-attributes';
import { md5Hex } from './message-attributes';
import { MinHeap } from './min-heap';
import type { QueueConfig } from './queue-config';
import { decodeReceiptHandle, encodeReceiptHandle } from './receipt-handle';
import { invalidParameterValue, sqsError } from './sqs-errors';
import type { ReceivedMessage, StoredMessage } from './stored-message';

const SENDER_ID = 'AIDAIENQZJOLO23YVJ4VO';

export interface NewMessage {
  body: string;
  delaySeconds?: number;
  messageAttributes?: MessageAttributeMap;
  systemAttributes?: Record<string, string>;
}

export interface ReceiveOptions {
  maxMessages: number;
  visibilityTimeout: number;
  waitTimeSeconds: number;
  signal?: AbortSignal;
}

export interface QueueStats {
  visible: number;
  inFlight: number;
  delayed: number;
}

interface HiddenEntry {
  message: StoredMessage;
  token: number;
}

interface Waiter {
  maxMessages: number;
  visibilityTimeout: number;
  finish(messages: ReceivedMessage[]): void;
}

/** Resolves a dead-letter target ARN to its queue at the moment a message is moved. */
export type DeadLetterResolver = (arn: string) => SqsQueue | undefined;

/**
 * One standard queue. Visible messages wait in a FIFO buffer; delayed and in-flight
 * messages sit in a min-heap keyed by the time they become visible, and are promoted
 * lazily whenever the queue is touched. Receive is therefore O(messages returned)
 * plus the promotions that are due, never a scan of the queue. Long polls park as
 * waiters woken by a send or by a timer armed for the next visibility expiry.
 */
export class SqsQueue {
  readonly createdTimestamp: number;
  lastModifiedTimestamp: number;

  private readonly visible = new FifoBuffer<StoredMessage>();
  private readonly hidden = new MinHeap<HiddenEntry>();
  private readonly byId = new Map<string, StoredMessage>();
  private readonly waiters = new Set<Waiter>();
  private visibleCount = 0;
  private inFlightCount = 0;
  private delayedCount = 0;
  private receiveSerial = 0;
  private drainScheduled = false;
  private expiryTimer: NodeJS.Timeout | null = null;
  private expiryTimerAt = Infinity;
  private closed = false;

  constructor(
    readonly name: string,
    readonly arn: string,
    public config: QueueConfig,
    private readonly resolveDeadLetter: DeadLetterResolver,
    private readonly now: () => number = Date.now,
  ) {
    this.createdTimestamp = now();
    this.lastModifiedTimestamp = this.createdTimestamp;
  }

  send(input: NewMessage): StoredMessage {
    const now = this.now();
    const message: StoredMessage = {
      messageId: randomUUID(),
      body: input.body,
      md5OfBody: md5Hex(input.body),
      messageAttributes: input.messageAttributes,
      sentTimestamp: now,
      extraSystemAttributes: input.systemAttributes ?? {},
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      state: 'delayed',
      token: 0,
      receiptHandle: undefined,
    };
    this.admit(message, input.delaySeconds ?? this.config.delaySeconds, now);
    return message;
  }

  /** Receives what is visible now, or long-polls up to `waitTimeSeconds` for the first message. */
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    const messages = this.receiveNow(options.maxMessages, options.visibilityTimeout);
    if (messages.length > 0 || options.waitTimeSeconds <= 0 || this.closed || options.signal?.aborted) {
      return Promise.resolve(messages);
    }
    return new Promise((resolve) => {
      const onAbort = (): void => waiter.finish([]);
      const timer = setTimeout(() => waiter.finish([]), options.waitTimeSeconds * 1000);
      const waiter: Waiter = {
        maxMessages: options.maxMessages,
        visibilityTimeout: options.visibilityTimeout,
        finish: (received) => {
          if (!this.waiters.delete(waiter)) return;
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve(received);
          this.armExpiryTimer();
        },
      };
      this.waiters.add(waiter);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.armExpiryTimer();
    });
  }

  /**
   * Deletes the message the handle was issued for. A handle from an earlier receive of
   * a message that has since been received again succeeds without deleting, as in SQS.
   */
  delete(receiptHandle: string): void {
    const message = this.lookup(receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) return;
    this.remove(message);
  }

  changeVisibility(receiptHandle: string, visibilityTimeout: number): void {
    const message = this.lookup(receiptHandle);
    if (!message || message.receiptHandle !== receiptHandle) {
      throw invalidParameterValue(
        `Value ${receiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      );
    }
    const now = this.now();
    this.promoteDue(now);
    if (message.state !== 'inflight') {
      throw sqsError('MessageNotInflight', 'The message referred to is not in flight.');
    }
    this.inFlightCount--;
    if (visibilityTimeout === 0) {
      this.makeVisible(message);
    } else {
      this.hide(message, 'inflight', now + visibilityTimeout * 1000);
    }
  }

  purge(): void {
    for (const message of this.byId.values()) {
      message.state = 'deleted';
      message.token++;
    }
    this.byId.clear();
    this.visible.clear();
    this.hidden.clear();
    this.visibleCount = 0;
    this.inFlightCount = 0;
    this.delayedCount = 0;
  }

  stats(): QueueStats {
    this.promoteDue(this.now());
    return { visible: this.visibleCount, inFlight: this.inFlightCount, delayed: this.delayedCount };
  }

  /** Ends every parked long poll with no messages; later receives return at once. */
  close(): void {
    this.closed = true;
    for (const waiter of [...this.waiters]) waiter.finish([]);
    this.clearExpiryTimer();
  }

  /** Takes over a message whose receive count exceeded the source queue's maxReceiveCount. */
  acceptDeadLetter(message: StoredMessage, sourceArn: string): void {
    const moved: StoredMessage = {
      messageId: message.messageId,
      body: message.body,
      md5OfBody: message.md5OfBody,
      messageAttributes: message.messageAttributes,
      sentTimestamp: message.sentTimestamp,
      extraSystemAttributes: { ...message.extraSystemAttributes, DeadLetterQueueSourceArn: sourceArn },
      receiveCount: 0,
      firstReceiveTimestamp: undefined,
      state: 'delayed',
      token: 0,
      receiptHandle: undefined,
    };
    this.admit(moved, 0, this.now());
  }

  private admit(message: StoredMessage, delaySeconds: number, now: number): void {
    this.byId.set(message.messageId, message);
    if (delaySeconds > 0) {
      this.hide(message, 'delayed', now + delaySeconds * 1000);
    } else {
      this.makeVisible(message);
    }
  }

  private receiveNow(maxMessages: number, visibilityTimeout: number): ReceivedMessage[] {
    if (this.closed) return [];
    const now = this.now();
    this.promoteDue(now);
    const received: ReceivedMessage[] = [];
    let immediatelyVisible: StoredMessage[] | undefined;
    const retentionMs = this.config.messageRetentionPeriod * 1000;
    const redrive = this.config.redrivePolicy;
    while (received.length < maxMessages && this.visibleCount > 0) {
      const message = this.visible.shift();
      if (!message) break;
      if (message.state !== 'ready') continue;
      this.visibleCount--;
      if (now - message.sentTimestamp >= retentionMs) {
        this.forget(message);
        continue;
      }
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        const deadLetter = this.resolveDeadLetter(redrive.deadLetterTargetArn);
        if (deadLetter && deadLetter !== this) {
          this.forget(message);
          deadLetter.acceptDeadLetter(message, this.arn);
          continue;
        }
      }
      message.receiveCount++;
      message.firstReceiveTimestamp ??= now;
      message.receiptHandle = encodeReceiptHandle({
        queueName: this.name,
        messageId: message.messageId,
        serial: ++this.receiveSerial,
      });
      if (visibilityTimeout > 0) {
        this.hide(message, 'inflight', now + visibilityTimeout * 1000);
      } else {
        (immediatelyVisible ??= []).push(message);
      }
      received.push(this.snapshot(message));
    }
    // Re-queued only after the loop, so one receive never returns the same message twice.
    if (immediatelyVisible) for (const message of immediatelyVisible) this.makeVisible(message);
    return received;
  }

  private snapshot(message: StoredMessage): ReceivedMessage {
    return {
      messageId: message.messageId,
      body: message.body,
      md5OfBody: message.md5OfBody,
      receiptHandle: message.receiptHandle as string,
      messageAttributes: message.messageAttributes,
      attributes: {
        SenderId: SENDER_ID,
        SentTimestamp: String(message.sentTimestamp),
        ApproximateReceiveCount: String(message.receiveCount),
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? ''),
        ...message.extraSystemAttributes,
      },
    };
  }

  private lookup(receiptHandle: string): StoredMessage | undefined {
    const parts = decodeReceiptHandle(receiptHandle);
    if (parts.queueName !== this.name) {
      throw sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    }
    return this.byId.get(parts.messageId);
  }

  private hide(message: StoredMessage, state: 'delayed' | 'inflight', visibleAt: number): void {
    message.state = state;
    message.token++;
    if (state === 'inflight') this.inFlightCount++;
    else this.delayedCount++;
    this.hidden.push(visibleAt, { message, token: message.token });
    if (this.waiters.size > 0 && visibleAt < this.expiryTimerAt) this.armExpiryTimer();
  }

  private makeVisible(message: StoredMessage): void {
    message.state = 'ready';
    message.token++;
    this.visibleCount++;
    this.visible.push(message);
    if (this.waiters.size > 0) this.scheduleDrain();
  }

  private remove(message: StoredMessage): void {
    if (message.state === 'ready') this.visibleCount--;
    else if (message.state === 'inflight') this.inFlightCount--;
    else if (message.state === 'delayed') this.delayedCount--;
    this.forget(message);
  }

  /** Drops a message already taken out of the counters. */
  private forget(message: StoredMessage): void {
    message.state = 'deleted';
    message.token++;
    this.byId.delete(message.messageId);
  }

  private promoteDue(now: number): void {
    for (let key = this.hidden.peekKey(); key !== undefined && key <= now; key = this.hidden.peekKey()) {
      const entry = this.hidden.pop() as HiddenEntry;
      const { message } = entry;
      if (entry.token !== message.token) continue;
      if (message.state === 'inflight') this.inFlightCount--;
      else if (message.state === 'delayed') this.delayedCount--;
      else continue;
      this.makeVisible(message);
    }
  }

  // Coalesced so that a batch send wakes a long poll with the whole batch, not one message.
  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    for (const waiter of this.waiters) {
      const messages = this.receiveNow(waiter.maxMessages, waiter.visibilityTimeout);
      if (messages.length === 0) break;
      waiter.finish(messages);
    }
    this.armExpiryTimer();
  }

  private armExpiryTimer(): void {
    const next = this.waiters.size > 0 ? this.hidden.peekKey() : undefined;
    if (next === undefined) {
      this.clearExpiryTimer();
      return;
    }
    if (this.expiryTimer && this.expiryTimerAt <= next) return;
    this.clearExpiryTimer();
    this.expiryTimerAt = next;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = null;
      this.expiryTimerAt = Infinity;
      this.drain();
    }, Math.max(0, next - this.now()));
  }

  private clearExpiryTimer(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
    this.expiryTimerAt = Infinity;
  }
}
