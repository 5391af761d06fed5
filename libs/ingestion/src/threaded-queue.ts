import { Worker } from 'node:worker_threads';
import type { Logger } from 'winston';
import type {
  BatchFailure,
  MessageHandle,
  MessageQueue,
  QueueAttributesSummary,
  ReceiveOptions,
  ReceiveResult,
} from './message-queue';
import type { QueueTarget } from './queue-client';
import {
  deserializeError,
  type FromQueueThread,
  type QueueCall,
  type QueueCallResults,
  type QueueThreadClientSettings,
  type QueueThreadData,
  type ToQueueThread,
} from './queue-thread-protocol';

export interface ThreadedQueueOptions {
  /**
   * The worker's entry point: a file whose only work is to call serveQueueThread().
   * A `.ts` file (sources run with tsx in development and tests) is loaded through tsx.
   */
  entry: string;
  /** Concurrent long polls: each holds a connection for up to WaitTimeSeconds. */
  pollers: number;
  target: QueueTarget;
  client?: QueueThreadClientSettings;
  logger: Logger;
}

interface PendingCall {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
}

function spawn(options: ThreadedQueueOptions, target: QueueTarget): Worker {
  const { entry } = options;
  const data: QueueThreadData = { pollers: options.pollers, target, ...(options.client ? { client: options.client } : {}) };
  if (!entry.endsWith('.ts')) return new Worker(entry, { workerData: data });
  // Node 20 does not pass --import loaders on to worker threads; tsx's require hook does the same job.
  const bootstrap = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/**
 * A MessageQueue whose SQS calls run on a worker thread of their own. The AWS
 * SDK's per-call work (middleware, signing, HTTP, (de)serialisation) costs
 * about as much CPU as everything else the ingestor does per event; on a
 * second thread it runs beside parsing and etcd writes instead of before them.
 *
 * If the thread dies, the calls in flight fail (the messages concerned come
 * back after their visibility timeout) and the next call starts a new one.
 */
export class ThreadedQueue implements MessageQueue {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;
  private interrupted = false;
  private closed = false;

  private constructor(
    private readonly options: ThreadedQueueOptions,
    readonly queueUrl: string,
    worker: Worker,
  ) {
    this.attach(worker);
  }

  /** Starts the thread and resolves the queue; rejects (with the thread stopped) if SQS cannot. */
  static async open(options: ThreadedQueueOptions): Promise<ThreadedQueue> {
    const worker = spawn(options, options.target);
    const opened = await new Promise<FromQueueThread>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`the SQS thread exited with code ${code} before the queue was open`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (message: FromQueueThread) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
    }).catch(async (err: unknown) => {
      await worker.terminate();
      throw err;
    });
    if (opened.kind !== 'opened') {
      await worker.terminate();
      throw opened.kind === 'openFailed' ? deserializeError(opened.error) : new Error(`unexpected first message from the SQS thread: ${opened.kind}`);
    }
    return new ThreadedQueue(options, opened.queueUrl, worker);
  }

  receive(options: ReceiveOptions): Promise<ReceiveResult> {
    if (this.interrupted) return Promise.reject(new Error('receives were interrupted'));
    return this.call({ op: 'receive', options });
  }

  interruptReceives(): void {
    this.interrupted = true;
    // With no thread running there is no poll to end, and later receives are refused here.
    this.worker?.postMessage({ kind: 'interrupt' } satisfies ToQueueThread);
  }

  deleteBatch(messages: readonly MessageHandle[]): Promise<BatchFailure[]> {
    // Only what SQS needs crosses the thread boundary, not the bodies.
    return this.call({ op: 'deleteBatch', messages: messages.map(handleOf) });
  }

  changeVisibilityBatch(messages: readonly MessageHandle[], seconds: number): Promise<BatchFailure[]> {
    return this.call({ op: 'changeVisibilityBatch', messages: messages.map(handleOf), seconds });
  }

  attributes(): Promise<QueueAttributesSummary> {
    return this.call({ op: 'attributes' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failPending(new Error('the SQS queue was closed'));
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private call<Op extends QueueCall['op']>(call: Extract<QueueCall, { op: Op }>): Promise<QueueCallResults[Op]> {
    if (this.closed) return Promise.reject(new Error('the SQS queue was closed'));
    const id = this.nextId++;
    return new Promise<QueueCallResults[Op]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: never) => void, reject });
      this.post({ kind: 'call', id, call });
    });
  }

  private post(message: ToQueueThread): void {
    if (this.closed) return;
    if (!this.worker) {
      // Replaces a thread that died; the queue URL is known, so opening it makes no call.
      this.attach(spawn(this.options, { queueUrl: this.queueUrl }));
    }
    this.worker!.postMessage(message);
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    let failure: Error | undefined;
    worker.on('message', (message: FromQueueThread) => this.settle(message));
    worker.on('error', (err) => (failure = err));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (this.closed) return;
      const reason = failure ? `${failure.name}: ${failure.message}` : `exit code ${code}`;
      this.options.logger.error('the SQS thread stopped; calls in flight failed and the next call starts a new thread', {
        reason,
        callsInFlight: this.pending.size,
      });
      this.failPending(new Error(`the SQS thread stopped (${reason})`));
    });
  }

  private settle(message: FromQueueThread): void {
    if (message.kind === 'opened') return;
    if (message.kind === 'openFailed') {
      // Only a replacement thread can get here: its queue URL was known, so this is a local failure.
      this.options.logger.error('a replacement SQS thread could not start', { error: message.error.message });
      return;
    }
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.kind === 'result') pending.resolve(message.value as never);
    else pending.reject(deserializeError(message.error));
  }

  private failPending(err: Error): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.reject(err);
  }
}

function handleOf(m: MessageHandle): MessageHandle {
  return { messageId: m.messageId, receiptHandle: m.receiptHandle };
}
