import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Sends every body to the queue in batches of 10 with `concurrency` requests in flight. */
export async function prefillQueue(sqs: SQSClient, queueUrl: string, bodies: readonly string[], concurrency = 16): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const start = next;
      next += 10;
      const chunk = bodies.slice(start, start + 10);
      const res = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: chunk.map((body, i) => ({ Id: String(i), MessageBody: body })) }),
      );
      if ((res.Failed ?? []).length > 0) throw new Error(`SendMessageBatch refused entries: ${JSON.stringify(res.Failed)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
