import { GetQueueUrlCommand, ReceiveMessageCommand, SetQueueAttributesCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig } from '@ecs-state/etcd-store';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { FARGATE_TASK_SAMPLE, loadReferenceEvent } from '@ecs-state/test-support';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { Registry } from 'prom-client';
import { createLogger, transports } from 'winston';
import { IngestMetrics, KINESIS_METRICS, KinesisMetrics, KinesisRecordProcessor, meteredWriter, PoisonQueue, WriteBatcher, type RecordWriter, type StreamRecord } from '../src';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const SHARD = 'shardId-000000000000';

/** A port nothing listens on: etcd calls to it fail at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function record(sequence: number, body: string): StreamRecord {
  return { sequenceNumber: String(sequence), partitionKey: `pk-${sequence}`, data: Buffer.from(body) };
}

describe('KinesisRecordProcessor poison copies on a retried commit (simulated SQS, real etcd)', () => {
  let sim: Simulator;
  let sqs: SQSClient;
  let queueUrl: string;
  let store: ClusterStateStore;
  let unreachable: ClusterStateStore;
  /** The store the processor writes to; a test swaps it to make a commit fail or succeed. */
  let target: RecordWriter;
  let processor: KinesisRecordProcessor;
  let registry: Registry;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, eventQueue: null, queues: ['poison'] });
    sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    queueUrl = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'poison' }))).QueueUrl as string;
    const prefix = `/test-kinesis-poison-${randomUUID().slice(0, 8)}`;
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: prefix });
    store = new ClusterStateStore({ client: createEtcdClient(config), prefix: config.prefix });
    const deadConfig = { ...config, endpoints: [`http://127.0.0.1:${await closedPort()}`], dialTimeoutMs: 1_000, requestTimeoutMs: 1_000 };
    unreachable = new ClusterStateStore({ client: createEtcdClient(deadConfig), prefix: config.prefix });
  });
  beforeEach(() => {
    registry = new Registry();
    const metrics = new IngestMetrics(registry);
    const writer: RecordWriter = {
      upsert: (records) => target.upsert(records),
      mergeServices: (services, options) => target.mergeServices(services, options),
    };
    processor = new KinesisRecordProcessor({
      batcher: new WriteBatcher(meteredWriter(writer, metrics), 100),
      metrics,
      kinesisMetrics: new KinesisMetrics(registry),
      logger: createLogger({ silent: true, transports: [new transports.Console()] }),
      maxMessageBytes: 262_144,
      writeBatch: 100,
      poisonQueue: new PoisonQueue(sqs, queueUrl),
    });
  });
  afterAll(async () => {
    await Promise.all([store.close(), unreachable.close()]);
    sqs.destroy();
    await sim.close();
  });

  /** The sequence numbers of every copy in the poison queue, taking them out of it. */
  async function drainCopies(): Promise<string[]> {
    const messages: Message[] = [];
    for (;;) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 300 }));
      if (!Messages || Messages.length === 0) break;
      messages.push(...Messages);
    }
    return messages.map((m) => m.MessageAttributes?.['kinesis.sequenceNumber']?.StringValue as string).sort((a, b) => Number(a) - Number(b));
  }

  async function copiedCount(): Promise<number> {
    const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${KINESIS_METRICS.poisonCopied} `));
    return Number(line?.slice(KINESIS_METRICS.poisonCopied.length + 1) ?? 0);
  }

  it('copies each poison record once when the etcd write fails after the copy succeeded and the commit is retried', async () => {
    const task = loadReferenceEvent(FARGATE_TASK_SAMPLE).body;
    // Twelve poison records: two SendMessageBatch chunks.
    const poison = Array.from({ length: 12 }, (_, i) => record(100 + i, `{not json ${i}`));
    const page = processor.parse(SHARD, [record(1, task), ...poison]);
    expect(page.poison).toHaveLength(12);

    target = unreachable;
    await expect(processor.commit(page)).rejects.toThrow();
    target = store;
    await processor.commit(page);

    expect(await drainCopies()).toEqual(poison.map((r) => r.sequenceNumber));
    expect(await copiedCount()).toBe(12);
  }, 60_000);

  it('copies again only the entries SQS refused when a copy is partly refused', async () => {
    target = store;
    // At SQS's smallest message size, the large record is refused on its own (its body and
    // attributes exceed it) while its chunk's small ones are taken.
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: '1024' } }));
    const poison = Array.from({ length: 13 }, (_, i) => record(200 + i, i === 3 ? `{not json ${'x'.repeat(870)}` : `{not json ${i}`));
    const page = processor.parse(SHARD, poison);
    try {
      await expect(processor.commit(page)).rejects.toThrow(/SQS refused 1 poison record copies/);
    } finally {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { MaximumMessageSize: '262144' } }));
    }
    await processor.commit(page);

    expect(await drainCopies()).toEqual(poison.map((r) => r.sequenceNumber));
    expect(await copiedCount()).toBe(13);
  }, 60_000);
});
