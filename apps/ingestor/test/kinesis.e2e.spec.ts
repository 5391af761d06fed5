import { GetQueueUrlCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ShardLeaseTable } from '@ecs-state/etcd-store';
import { INGEST_METRICS, KINESIS_METRICS } from '@ecs-state/ingestion';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import { expectStoreToMatchTruth, type IngestorProcess } from '@ecs-state/test-services';
import { DLQ, E2eWorld } from './support/e2e-world';

jest.setTimeout(240_000);

const STREAM = 'ecs-events-stream';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sums a series over every sample of it (all shards, all labels) in Prometheus text. */
function total(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('ingestor end to end on a Kinesis stream', () => {
  let world: E2eWorld;
  afterEach(() => world.close());

  async function startReplica(poisonQueueUrl: string): Promise<IngestorProcess> {
    return world.startIngestor({
      EVENT_SOURCE: 'kinesis',
      QUEUE_NAME: '',
      KINESIS_STREAM_NAME: STREAM,
      KINESIS_POISON_QUEUE_URL: poisonQueueUrl,
      KINESIS_LEASE_TTL_SECONDS: '2',
      KINESIS_SHARD_SYNC_MS: '200',
      KINESIS_IDLE_POLL_MS: '50',
      // Small pages, so that the kill lands between a write and its checkpoint more often than not.
      KINESIS_GET_RECORDS_LIMIT: '25',
    });
  }

  it('two replicas share the shards; one is SIGKILLed mid-stream and the stream resharded during ingest; poison records are skipped and copied; etcd ends equal to ECS', async () => {
    world = new E2eWorld(testEtcdEndpoints());
    await world.start({
      eventStream: { name: STREAM, shardCount: 2 },
      workload: { clusters: 3, instancesPerCluster: 2, tasksPerCluster: 20, publishPopulation: true, ratePerSecond: 150, start: false, seed: 11 },
      faults: { seed: 11, events: { duplicateRate: 0.1, maxDelayMs: 200 } },
    });
    const { QueueUrl: poisonQueueUrl } = await world.sqs.send(new GetQueueUrlCommand({ QueueName: DLQ }));
    const a = await startReplica(poisonQueueUrl as string);
    const b = await startReplica(poisonQueueUrl as string);
    expect((await fetch(`http://127.0.0.1:${a.opsPort}/readyz`)).status).toBe(200);
    const held = async (replica: IngestorProcess): Promise<number> => total(await replica.metrics(), KINESIS_METRICS.leasesHeld);
    await eventually('one shard each', async () => (await held(a)) === 1 && (await held(b)) === 1, { timeoutMs: 45_000 });

    const stream = world.sim.kinesis.stream(STREAM);
    const events = () => stream.shards.reduce((n, s) => n + s.records.length, 0);
    world.sim.workload!.start();
    // Each step waits for what the workload has put, not for a time: a slow machine puts less per second.
    await sleep(700);
    await eventually('events on the stream before the kill', () => events() > 150, { timeoutMs: 60_000 });
    // Mid-stream: A dies without a word; its shard returns to the pool after its lease TTL.
    a.signal('SIGKILL');
    await sleep(300);
    stream.updateShardCount(4);
    await sleep(700);
    await eventually('events on the stream after the reshard', () => events() > 400, { timeoutMs: 60_000 });
    const malformed = stream.put(1n, Buffer.from('{"detail-type": "ECS Task State Change", ').toString('base64'), 'poison-1');
    const noVersion = stream.put(2n, Buffer.from(JSON.stringify({ source: 'aws.ecs', 'detail-type': 'ECS Task State Change', detail: {} })).toString('base64'), 'poison-2');
    await sleep(500);
    world.sim.workload!.stop();
    await world.eventsDelivered();

    const records = await expectStoreToMatchTruth(world.sim, world.store, 90_000);
    expect(records).toBeGreaterThan(60);

    // B took over every open shard once the parents were read to their end, and checkpointed each one at its last record.
    await eventually('B holding the four open shards', async () => (await held(b)) === 4, { timeoutMs: 45_000 });
    const table = new ShardLeaseTable({ client: world.etcd, prefix: world.prefix, stream: world.sim.eventStreamArn ?? '', owner: 'observer' });
    await eventually(
      'every shard checkpointed at its end or its last record',
      async () => {
        const { checkpoints } = await table.read();
        return stream.shards.every((s) => {
          const c = checkpoints.get(s.shardId);
          if (!s.open) return c?.kind === 'shardEnd';
          const last = s.records[s.records.length - 1];
          return last === undefined || (c?.kind === 'sequence' && c.sequenceNumber === last.sequenceNumber.toString());
        });
      },
      { timeoutMs: 45_000 },
    );

    // The poison records: counted by reason, logged with their sequence numbers, skipped, and copied.
    const text = await b.metrics();
    expect(total(text, INGEST_METRICS.rejected, 'reason="malformed_json"')).toBe(1);
    expect(total(text, INGEST_METRICS.rejected)).toBe(2);
    expect(total(text, KINESIS_METRICS.poisonCopied)).toBe(2);
    expect(total(text, KINESIS_METRICS.checkpoints, 'kind="shard_end"')).toBeGreaterThanOrEqual(1);
    const rejected = b.logs.filter((l) => l['message'] === 'rejected record').map((l) => l['sequenceNumber']);
    expect(rejected.sort()).toEqual([malformed.sequenceNumber, noVersion.sequenceNumber].sort());
    const copies = await world.sqs.send(new ReceiveMessageCommand({ QueueUrl: poisonQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(copies.Messages?.map((m) => m.MessageAttributes?.['kinesis.sequenceNumber']?.StringValue).sort()).toEqual(
      [malformed.sequenceNumber, noVersion.sequenceNumber].sort(),
    );
    expect((await fetch(`http://127.0.0.1:${b.opsPort}/readyz`)).status).toBe(200);
  });
});
