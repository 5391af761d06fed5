import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface LoadResult {
  readonly messages: number;
  readonly calls: number;
  readonly seconds: number;
  /** Wall-clock milliseconds of each call (for a receive-and-delete round: both calls). */
  readonly latenciesMs: number[];
}

/** Sends `messages` bodies in batches of 10, one worker per client, all sharing the work. */
export async function sendAll(clients: readonly SQSClient[], queueUrl: string, bodies: readonly string[], messages: number): Promise<LoadResult> {
  let next = 0;
  let calls = 0;
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (sqs) => {
      while (next < messages) {
        const start = next;
        next += 10;
        const count = Math.min(10, messages - start);
        const entries = Array.from({ length: count }, (_, i) => ({ Id: String(i), MessageBody: bodies[(start + i) % bodies.length] as string }));
        const t = performance.now();
        const res = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
        latenciesMs.push(performance.now() - t);
        calls += 1;
        if ((res.Failed ?? []).length > 0) throw new Error(`SendMessageBatch refused entries: ${JSON.stringify(res.Failed)}`);
      }
    }),
  );
  return { messages, calls, seconds: (performance.now() - started) / 1000, latenciesMs };
}

/**
 * Each client repeats ReceiveMessage (10) then DeleteMessageBatch, as the
 * ingestor does, until `messages` have been deleted and the queue is empty.
 */
export async function receiveAndDeleteAll(clients: readonly SQSClient[], queueUrl: string, messages: number): Promise<LoadResult> {
  let deleted = 0;
  let calls = 0;
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    clients.map(async (sqs) => {
      while (deleted < messages) {
        const t = performance.now();
        const res = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
        const received = res.Messages ?? [];
        calls += 1;
        if (received.length === 0) break;
        const del = await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: received.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
          }),
        );
        latenciesMs.push(performance.now() - t);
        calls += 1;
        if ((del.Failed ?? []).length > 0) throw new Error(`DeleteMessageBatch refused entries: ${JSON.stringify(del.Failed)}`);
        deleted += received.length;
      }
    }),
  );
  return { messages: deleted, calls, seconds: (performance.now() - started) / 1000, latenciesMs };
}
