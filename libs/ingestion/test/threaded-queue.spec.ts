import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, format, transports, type Logger } from 'winston';
import { ThreadedQueue, type ThreadedQueueOptions } from '../src';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const SHIPPED_ENTRY = join(__dirname, 'fixtures/queue-thread.worker.ts');
const DYING_ENTRY = join(__dirname, 'fixtures/dies-on-attributes.worker.ts');

/** Keeps what the queue logs, to check what an operator would be told. */
function memoryLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const sink = new transports.Stream({ stream });
  return { logger: createLogger({ format: format.json(), transports: [sink] }), lines };
}

describe('ThreadedQueue (SQS calls on a worker thread, against the simulator)', () => {
  let sim: Simulator;
  let sqs: SQSClient;
  const opened: ThreadedQueue[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, region: 'us-east-1', queues: ['work', 'interrupted', 'spare'], eventQueue: null, ecs: false });
    sqs = new SQSClient({ region: 'us-east-1', endpoint: sim.endpoint, credentials: CREDENTIALS });
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.close()));
  });

  afterAll(async () => {
    sqs.destroy();
    await sim.close();
  });

  async function open(overrides: Partial<ThreadedQueueOptions> = {}): Promise<ThreadedQueue> {
    const queue = await ThreadedQueue.open({
      entry: SHIPPED_ENTRY,
      pollers: 4,
      target: { queueName: 'work' },
      client: { region: 'us-east-1', endpoint: sim.endpoint, credentials: CREDENTIALS },
      logger: memoryLogger().logger,
      ...overrides,
    });
    opened.push(queue);
    return queue;
  }

  async function send(queueUrl: string, bodies: string[]): Promise<void> {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })) }));
  }

  it('resolves the queue by name and receives, hides and deletes messages through the thread', async () => {
    const queue = await open();
    expect(queue.queueUrl).toMatch(/\/work$/);
    await send(queue.queueUrl, ['{"a":1}', '{"b":2}', '{"c":3}']);

    const first = await queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30 });
    expect(first.malformed).toBe(0);
    expect(first.messages.map((m) => m.body).sort()).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
    for (const m of first.messages) {
      expect(m.receiveCount).toBe(1);
      // A Date made on the thread, from SQS's SentTimestamp.
      expect(Math.abs(m.sentAt!.getTime() - Date.now())).toBeLessThan(60_000);
    }

    const [keep, ...done] = first.messages;
    expect(await queue.deleteBatch(done)).toEqual([]);
    // Made visible again at once: it comes back, with its receive count raised.
    expect(await queue.changeVisibilityBatch([keep!], 0)).toEqual([]);
    const again = await queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30 });
    expect(again.messages.map((m) => [m.body, m.receiveCount])).toEqual([[keep!.body, 2]]);

    // A stale receipt handle is reported per entry, not thrown.
    const refused = await queue.deleteBatch([{ messageId: 'gone', receiptHandle: 'not-a-real-handle' }]);
    expect(refused).toEqual([expect.objectContaining({ messageId: 'gone' })]);

    await queue.deleteBatch(again.messages);
    expect(await queue.attributes()).toEqual(expect.objectContaining({ visibleMessages: 0, inFlightMessages: 0 }));
  });

  it('fails to open, with the SQS error, when the queue does not exist', async () => {
    await expect(open({ target: { queueName: 'missing' } })).rejects.toThrow(/does not exist|NonExistentQueue/i);
  });

  it('ends a long poll in flight on interruptReceives, while deletions still work', async () => {
    const queue = await open({ target: { queueName: 'interrupted' } });
    await send(queue.queueUrl, ['{"in":"flight"}']);
    const { messages } = await queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30 });
    expect(messages).toHaveLength(1);

    const polling = queue.receive({ maxMessages: 10, waitSeconds: 20, visibilityTimeout: 30 });
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    queue.interruptReceives();
    await expect(polling).rejects.toThrow();
    // Well before the 20 s the poll would otherwise last, with room for a slow machine.
    expect(Date.now() - started).toBeLessThan(12_000);
    await expect(queue.receive({ maxMessages: 1, waitSeconds: 1, visibilityTimeout: 30 })).rejects.toThrow(/interrupted/);

    // What was received before the interruption is still acknowledged: a batch in flight at SIGTERM finishes.
    expect(await queue.deleteBatch(messages)).toEqual([]);
    expect(await queue.attributes()).toEqual(expect.objectContaining({ visibleMessages: 0, inFlightMessages: 0 }));
  });

  it('fails the calls in flight when its thread dies, and carries on with a new thread', async () => {
    const { logger, lines } = memoryLogger();
    const queue = await open({ entry: DYING_ENTRY, target: { queueName: 'spare' }, logger });
    await send(queue.queueUrl, ['{"x":1}']);

    await expect(queue.attributes()).rejects.toThrow(/SQS thread stopped \(exit code 7\)/);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', reason: 'exit code 7', callsInFlight: 1 }));

    // The next calls start a fresh thread on the same queue.
    const { messages } = await queue.receive({ maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30 });
    expect(messages.map((m) => m.body)).toEqual(['{"x":1}']);
    expect(await queue.deleteBatch(messages)).toEqual([]);
  });

  it('rejects every call once closed', async () => {
    const queue = await open();
    await queue.close();
    await expect(queue.attributes()).rejects.toThrow(/closed/);
    await expect(queue.deleteBatch([])).rejects.toThrow(/closed/);
  });
});
