import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { QueueClient } from './queue-client';
import {
  serializeError,
  type FromQueueThread,
  type QueueCall,
  type QueueCallResults,
  type QueueThreadData,
  type ToQueueThread,
} from './queue-thread-protocol';

function perform(queue: QueueClient, call: QueueCall): Promise<QueueCallResults[QueueCall['op']]> {
  switch (call.op) {
    case 'receive':
      return queue.receive(call.options);
    case 'deleteBatch':
      return queue.deleteBatch(call.messages);
    case 'changeVisibilityBatch':
      return queue.changeVisibilityBatch(call.messages, call.seconds);
    case 'attributes':
      return queue.attributes();
  }
}

/**
 * The body of a ThreadedQueue's worker thread: opens a QueueClient and makes
 * the calls the main thread asks for. A worker entry point only calls this.
 */
export function serveQueueThread(): void {
  const port: MessagePort | null = parentPort;
  if (!port) throw new Error('serveQueueThread() must run in a worker thread');
  const data = workerData as QueueThreadData;
  const post = (message: FromQueueThread) => port.postMessage(message);

  const opening = QueueClient.open({
    pollers: data.pollers,
    target: data.target,
    ...(data.client ? { client: data.client } : {}),
  });
  opening.then(
    (queue) => post({ kind: 'opened', queueUrl: queue.queueUrl }),
    (err: unknown) => {
      post({ kind: 'openFailed', error: serializeError(err) });
      port.close();
    },
  );

  port.on('message', (message: ToQueueThread) => {
    void opening.then((queue) => {
      if (message.kind === 'interrupt') {
        queue.interruptReceives();
        return;
      }
      perform(queue, message.call).then(
        (value) => post({ kind: 'result', id: message.id, value }),
        (err: unknown) => post({ kind: 'error', id: message.id, error: serializeError(err) }),
      );
    }, () => undefined);
  });
}
