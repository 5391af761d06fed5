import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseEventMessage } from '@ecs-state/domain';
import { startSimulator, type Simulator } from '@ecs-state/ecs-sim';
import { ClusterStateStore, createEtcdClient, loadEtcdConfig, ShardLeaseTable } from '@ecs-state/etcd-store';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { eventually } from '@ecs-state/test-support';
import type { Etcd3 } from 'etcd3';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { Writable } from 'node:stream';
import { createLogger, format, transports, type Logger } from 'winston';
import { INGEST_METRICS, IngestMetrics, KINESIS_METRICS, KinesisIngestor, KinesisMetrics, KinesisRecordProcessor, KinesisStreamClient, meteredWriter, PoisonQueue, WriteBatcher } from '../src';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const STREAM = 'events';

interface Replica {
  owner: string;
  ingestor: KinesisIngestor;
  registry: Registry;
  close(): Promise<void>;
}

/** Every line the replicas log, in order, to check what happened when. */
function memoryLogger(lines: Record<string, unknown>[], owner: string): Logger {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push({ ...(JSON.parse(chunk.toString()) as Record<string, unknown>), owner });
      done();
    },
  });
  return createLogger({ level: 'info', format: format.json(), transports: [new transports.Stream({ stream })] });
}

async function sample(registry: Registry, series: string): Promise<number> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('KinesisIngestor (simulated Kinesis, real etcd)', () => {
  let sim: Simulator;
  let etcd: Etcd3;
  let store: ClusterStateStore;
  let prefix: ReturnType<typeof loadEtcdConfig>['prefix'];
  let streamArn: string;
  const lines: Record<string, unknown>[] = [];
  const replicas: Replica[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      eventQueue: null,
      queues: ['poison'],
      eventStream: { name: STREAM, shardCount: 2 },
      workload: { clusters: 2, instancesPerCluster: 2, publishPopulation: true, start: false },
    });
    streamArn = sim.eventStreamArn as string;
  });
  beforeEach(() => {
    const config = loadEtcdConfig({ ETCD_ENDPOINTS: testEtcdEndpoints(), ETCD_PREFIX: `/test-kinesis-${randomUUID().slice(0, 8)}` });
    prefix = config.prefix;
    etcd = createEtcdClient(config);
    store = new ClusterStateStore({ client: etcd, prefix });
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map((r) => r.close()));
    await store.close();
    etcd.close();
  });
  afterAll(async () => {
    await sim.close();
  });

  function replica(owner: string, options: { poisonQueueUrl?: string } = {}): Replica {
    const registry = new Registry();
    const metrics = new IngestMetrics(registry);
    const kinesisMetrics = new KinesisMetrics(registry);
    const logger = memoryLogger(lines, owner);
    const client = new KinesisStreamClient({ client: { endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS }, maxSockets: 8, metrics: kinesisMetrics });
    const sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    const poisonQueue = options.poisonQueueUrl ? new PoisonQueue(sqs, options.poisonQueueUrl) : undefined;
    const processor = new KinesisRecordProcessor({
      batcher: new WriteBatcher(meteredWriter(store, metrics), 100),
      metrics,
      kinesisMetrics,
      logger,
      maxMessageBytes: 262_144,
      writeBatch: 100,
      ...(poisonQueue ? { poisonQueue } : {}),
    });
    const ingestor = new KinesisIngestor({
      client,
      streamArn,
      etcd,
      prefix,
      owner,
      processor,
      metrics: kinesisMetrics,
      logger,
      // Renewed every 2 s: a renewal delayed by a starved CPU still lands in time, so no replica
      // loses its shards to a lapse the test did not cause.
      leaseTtlSeconds: 6,
      syncIntervalMs: 200,
      getRecordsLimit: 100,
      idlePollMs: 50,
    });
    ingestor.start();
    const r: Replica = {
      owner,
      ingestor,
      registry,
      async close() {
        await ingestor.stop();
        client.destroy();
        sqs.destroy();
      },
    };
    replicas.push(r);
    return r;
  }

  /** Every ECS event in the stream is in etcd, at its version or a newer one. */
  async function everyEventStored(): Promise<boolean> {
    const snapshot = await store.snapshotAll();
    const versions = new Map([...snapshot.tasks, ...snapshot.instances].map((i) => [i.key, i.record.record.version]));
    for (const record of sim.kinesis.stream(STREAM).allRecords()) {
      const parsed = parseEventMessage(Buffer.from(record.data, 'base64').toString('utf8'));
      if (!parsed.ok || parsed.kind === 'service') continue;
      const state = parsed.kind === 'task' ? { kind: 'task' as const, record: parsed.record } : { kind: 'instance' as const, record: parsed.record };
      if ((versions.get(store.keyOf(state)) ?? -1) < parsed.record.version) return false;
    }
    return true;
  }

  it('shares the shards evenly between two replicas, follows a reshard with children after their parents, and stores every event', async () => {
    const a = replica('a');
    await eventually('replica a holding both shards', () => a.ingestor.heldShards.length === 2, { timeoutMs: 20_000 });
    sim.workload?.step(150);
    const b = replica('b');
    await eventually('one shard each', () => a.ingestor.heldShards.length === 1 && b.ingestor.heldShards.length === 1, { timeoutMs: 20_000 });

    sim.kinesis.stream(STREAM).updateShardCount(4);
    sim.workload?.step(150);
    await eventually('two of the four new shards each', () => a.ingestor.heldShards.length === 2 && b.ingestor.heldShards.length === 2, { timeoutMs: 30_000 });
    await eventually('every event stored', everyEventStored, { timeoutMs: 30_000 });

    const table = new ShardLeaseTable({ client: etcd, prefix, stream: streamArn, owner: 'observer' });
    const shards = sim.kinesis.stream(STREAM).shards;
    // A checkpoint follows the write it covers, so it may land a moment after the events.
    const state = await eventually('every shard checkpointed at its last record', async () => {
      const read = await table.read();
      const last = (shardId: string) => read.checkpoints.get(shardId);
      const done = shards.every((sh) =>
        !sh.open
          ? last(sh.shardId)?.kind === 'shardEnd'
          : sh.records.length === 0 || (last(sh.shardId) as { sequenceNumber?: string } | undefined)?.sequenceNumber === sh.records[sh.records.length - 1]?.sequenceNumber.toString(),
      );
      return done && read;
    }, { timeoutMs: 15_000 }).catch(() => table.read()); // on a timeout, the checks below name the shard behind
    for (const s of shards.filter((sh) => !sh.open)) expect(state.checkpoints.get(s.shardId)).toEqual({ kind: 'shardEnd' });
    for (const s of shards.filter((sh) => sh.open && sh.records.length > 0)) {
      expect(state.checkpoints.get(s.shardId)).toEqual({ kind: 'sequence', sequenceNumber: s.records[s.records.length - 1]?.sequenceNumber.toString() });
    }
    // No child was read before both its parents... its parent was read to its end.
    const at = (message: string, shardId: string): number => lines.findIndex((l) => l['message'] === message && l['shardId'] === shardId);
    for (const child of shards.filter((sh) => sh.lineage.parentShardId)) {
      expect(at('reading a shard', child.shardId)).toBeGreaterThan(at('shard read to its end; its children may start', child.lineage.parentShardId as string));
    }
    expect(await sample(a.registry, KINESIS_METRICS.leasesHeld)).toBe(2);
    expect((await sample(a.registry, `${KINESIS_METRICS.checkpoints}{kind="shard_end"}`)) + (await sample(b.registry, `${KINESIS_METRICS.checkpoints}{kind="shard_end"}`))).toBe(2);
    expect((await a.registry.metrics()).match(new RegExp(`${KINESIS_METRICS.millisBehindLatest}\\{shard="shardId-\\d+"\\} \\d+`, 'g'))).toHaveLength(2);
  }, 120_000);

  it('skips a record it cannot parse, counting and logging it with its sequence number, and copies it to the poison queue before the checkpoint passes it', async () => {
    const sqs = new SQSClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: CREDENTIALS });
    const { QueueUrl: poisonQueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'poison' }));
    const stream = sim.kinesis.stream(STREAM);
    const bad = stream.put(0n, Buffer.from('{not json').toString('base64'), 'bad');
    const wrong = stream.put(0n, Buffer.from(JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created' })).toString('base64'), 'wrong');
    sim.workload?.step(20);
    const r = replica('p', { poisonQueueUrl: poisonQueueUrl as string });
    // The stream holds every record of the tests before, all read from the start again.
    await eventually('every event stored', everyEventStored, { timeoutMs: 45_000 });
    await eventually('the checkpoint past the poison records', async () => {
      const checkpoint = await new ShardLeaseTable({ client: etcd, prefix, stream: streamArn, owner: 'observer' }).checkpointOf(bad.shardId);
      return checkpoint?.kind === 'sequence' && BigInt(checkpoint.sequenceNumber) >= BigInt(wrong.sequenceNumber);
    }, { timeoutMs: 15_000 });
    expect(await sample(r.registry, `${INGEST_METRICS.rejected}{reason="malformed_json"}`)).toBe(1);
    expect(await sample(r.registry, KINESIS_METRICS.poisonCopied)).toBe(2);
    const logged = lines.filter((l) => l['owner'] === 'p' && l['message'] === 'rejected record');
    expect(logged.map((l) => [l['sequenceNumber'], l['shardId']])).toEqual([
      [bad.sequenceNumber, bad.shardId],
      [wrong.sequenceNumber, wrong.shardId],
    ]);
    const copies = await sqs.send(new ReceiveMessageCommand({ QueueUrl: poisonQueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    expect(copies.Messages?.map((m) => [m.Body, m.MessageAttributes?.['kinesis.sequenceNumber']?.StringValue, m.MessageAttributes?.['ingestor.rejectReason']?.StringValue])).toEqual([
      ['{not json', bad.sequenceNumber, 'malformed_json'],
      [JSON.stringify({ source: 'aws.s3', 'detail-type': 'Object Created' }), wrong.sequenceNumber, expect.any(String)],
    ]);
    sqs.destroy();
  }, 90_000);

  it('hands its shards over at once when stopped, and stops reading and starts over under a new lease when its lease is revoked under it', async () => {
    const a = replica('a2');
    const b = replica('b2');
    const open = sim.kinesis.stream(STREAM).openShards.length;
    await eventually('the open shards shared', () => a.ingestor.heldShards.length + b.ingestor.heldShards.length === open && b.ingestor.heldShards.length > 0, { timeoutMs: 30_000 });

    // Revoked behind its back (what etcd does when the lease expires): every reader stops, shards are taken again.
    const table = new ShardLeaseTable({ client: etcd, prefix, stream: streamArn, owner: 'observer' });
    const leaseOfB = (await etcd.get(table.keys.member('b2')).exec()).kvs[0]?.lease;
    expect(leaseOfB).toBeDefined();
    await etcd.leaseClient.leaseRevoke({ ID: leaseOfB as string });
    await eventually('the lease loss noticed', () => lines.some((l) => l['owner'] === 'b2' && String(l['message']).startsWith('the etcd lease of this replica was lost')), { timeoutMs: 20_000 });
    sim.workload?.step(50);
    await eventually('every shard read again', () => a.ingestor.heldShards.length + b.ingestor.heldShards.length === open, { timeoutMs: 30_000 });
    await eventually('every event stored', everyEventStored, { timeoutMs: 30_000 });

    // A stop revokes the lease: the other replica takes the shards without waiting for a TTL.
    // The lease is gone as soon as the stop returns, which a lease left to expire could only
    // be if the stop took longer than the TTL.
    const newLeaseOfB = (await etcd.get(table.keys.member('b2')).exec()).kvs[0]?.lease as string;
    expect(newLeaseOfB).toBeDefined();
    expect(newLeaseOfB).not.toBe(leaseOfB);
    await replicas.splice(replicas.indexOf(b), 1)[0]?.close();
    expect(Number((await etcd.leaseClient.leaseTimeToLive({ ID: newLeaseOfB })).TTL)).toBe(-1);
    await eventually('a holding every open shard', () => a.ingestor.heldShards.length === open, { timeoutMs: 15_000 });
    sim.workload?.step(50);
    await eventually('every event stored', everyEventStored, { timeoutMs: 30_000 });
  }, 120_000);
});
