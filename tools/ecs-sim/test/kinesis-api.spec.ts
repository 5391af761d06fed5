import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  ExpiredIteratorException,
  InvalidArgumentException,
  ResourceNotFoundException,
  SplitShardCommand,
  UpdateShardCountCommand,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Simulator } from '../src';
import { MAX_HASH_KEY, startSimulator } from '../src';
import { parseCliOptions } from '../src/server/cli-options';

/**
 * The Kinesis client defaults to HTTP/2 (for SubscribeToShard, which is not simulated);
 * the simulator, like every caller here, speaks HTTP/1.1.
 */
const http1 = (): NodeHttpHandler => new NodeHttpHandler();

const text = (data: Uint8Array | undefined): string => Buffer.from(data ?? new Uint8Array()).toString('utf8');
const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('Kinesis through @aws-sdk/client-kinesis', () => {
  let sim: Simulator;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, eventQueue: null, ecs: false, streams: [{ name: 'two', shardCount: 2 }] });
    kinesis = new KinesisClient({ endpoint: sim.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1, requestHandler: http1() });
  });
  afterAll(async () => {
    kinesis.destroy();
    await sim.close();
  });

  async function shards(streamName: string): Promise<Shard[]> {
    const out: Shard[] = [];
    let token: string | undefined;
    do {
      const page = await kinesis.send(new ListShardsCommand(token ? { NextToken: token, MaxResults: 1 } : { StreamName: streamName, MaxResults: 1 }));
      out.push(...(page.Shards ?? []));
      token = page.NextToken;
    } while (token);
    return out;
  }

  async function iterator(streamName: string, shardId: string, type: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: type as 'LATEST', ...extra }));
    return res.ShardIterator as string;
  }

  it('creates and describes a stream; ListShards pages and covers the hash key space', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'created', ShardCount: 3 }));
    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'created' }));
    expect(summary.StreamDescriptionSummary).toMatchObject({
      StreamName: 'created',
      StreamARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/created',
      StreamStatus: 'ACTIVE',
      OpenShardCount: 3,
    });
    expect(summary.StreamDescriptionSummary?.StreamCreationTimestamp).toBeInstanceOf(Date);
    const listed = await shards('created');
    expect(listed.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(listed[0]?.HashKeyRange?.StartingHashKey).toBe('0');
    expect(listed[2]?.HashKeyRange?.EndingHashKey).toBe(MAX_HASH_KEY.toString());
    for (let i = 1; i < listed.length; i++) {
      expect(BigInt(listed[i]?.HashKeyRange?.StartingHashKey ?? '')).toBe(BigInt(listed[i - 1]?.HashKeyRange?.EndingHashKey ?? '') + 1n);
    }
    // By ARN, as the ingestor calls it.
    const byArn = await kinesis.send(new ListShardsCommand({ StreamARN: summary.StreamDescriptionSummary?.StreamARN }));
    expect(byArn.Shards).toHaveLength(3);
    await expect(kinesis.send(new DescribeStreamSummaryCommand({ StreamName: 'missing' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('puts records by partition key and explicit hash key, and reads them back with every iterator type', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'reads', ShardCount: 1 }));
    const first = await kinesis.send(new PutRecordCommand({ StreamName: 'reads', PartitionKey: 'a', Data: bytes('one') }));
    expect(first.ShardId).toBe('shardId-000000000000');
    const batch = await kinesis.send(
      new PutRecordsCommand({ StreamName: 'reads', Records: [{ PartitionKey: 'b', Data: bytes('two') }, { PartitionKey: 'c', Data: bytes('three'), ExplicitHashKey: '7' }] }),
    );
    expect(batch.FailedRecordCount).toBe(0);
    const seq = [first.SequenceNumber, ...(batch.Records ?? []).map((r) => r.SequenceNumber)] as string[];
    expect(BigInt(seq[0] as string) < BigInt(seq[1] as string) && BigInt(seq[1] as string) < BigInt(seq[2] as string)).toBe(true);
    const read = async (it: string) => {
      const res = await kinesis.send(new GetRecordsCommand({ ShardIterator: it }));
      return (res.Records ?? []).map((r) => text(r.Data));
    };
    const shard = 'shardId-000000000000';
    expect(await read(await iterator('reads', shard, 'TRIM_HORIZON'))).toEqual(['one', 'two', 'three']);
    expect(await read(await iterator('reads', shard, 'LATEST'))).toEqual([]);
    expect(await read(await iterator('reads', shard, 'AT_SEQUENCE_NUMBER', { StartingSequenceNumber: seq[1] }))).toEqual(['two', 'three']);
    expect(await read(await iterator('reads', shard, 'AFTER_SEQUENCE_NUMBER', { StartingSequenceNumber: seq[1] }))).toEqual(['three']);
    expect(await read(await iterator('reads', shard, 'AT_TIMESTAMP', { Timestamp: new Date(Date.now() + 60_000) }))).toEqual([]);
    expect(await read(await iterator('reads', shard, 'AT_TIMESTAMP', { Timestamp: new Date(Date.now() - 60_000) }))).toEqual(['one', 'two', 'three']);
    const full = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('reads', shard, 'TRIM_HORIZON') }));
    expect(full.Records?.[0]).toMatchObject({ PartitionKey: 'a', SequenceNumber: seq[0] });
    expect(full.Records?.[0]?.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    await expect(kinesis.send(new GetShardIteratorCommand({ StreamName: 'reads', ShardId: shard, ShardIteratorType: 'AT_SEQUENCE_NUMBER' }))).rejects.toBeInstanceOf(
      InvalidArgumentException,
    );
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: 'garbage' }))).rejects.toBeInstanceOf(InvalidArgumentException);
  });

  it('pages GetRecords with Limit, reports MillisBehindLatest until the tip, and keeps iterating an open shard', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'paged', ShardCount: 1 }));
    await kinesis.send(new PutRecordsCommand({ StreamName: 'paged', Records: Array.from({ length: 5 }, (_, i) => ({ PartitionKey: `k${i}`, Data: bytes(`r${i}`) })) }));
    await new Promise((r) => setTimeout(r, 30));
    const page1 = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('paged', 'shardId-000000000000', 'TRIM_HORIZON'), Limit: 2 }));
    expect(page1.Records).toHaveLength(2);
    expect(page1.MillisBehindLatest).toBeGreaterThanOrEqual(30);
    const page2 = await kinesis.send(new GetRecordsCommand({ ShardIterator: page1.NextShardIterator, Limit: 10 }));
    expect((page2.Records ?? []).map((r) => text(r.Data))).toEqual(['r2', 'r3', 'r4']);
    expect(page2.MillisBehindLatest).toBe(0);
    const page3 = await kinesis.send(new GetRecordsCommand({ ShardIterator: page2.NextShardIterator }));
    expect(page3.Records).toEqual([]);
    expect(page3.NextShardIterator).toEqual(expect.any(String));
  });

  it('returns at most 10 MiB of data per GetRecords', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'big', ShardCount: 1 }));
    const mib = Buffer.alloc(1024 * 1024 - 100, 'x');
    for (let i = 0; i < 3; i++) {
      await kinesis.send(new PutRecordsCommand({ StreamName: 'big', Records: Array.from({ length: 4 }, (_, j) => ({ PartitionKey: `k${i}${j}`, Data: mib })) }));
    }
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('big', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect(first.Records).toHaveLength(10);
    expect(first.MillisBehindLatest).toBeGreaterThanOrEqual(0);
    const rest = await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    expect(rest.Records).toHaveLength(2);
  });

  it('reshards: split, merge and uniform scaling close parents and open children that name them; a drained parent has no next iterator', async () => {
    await kinesis.send(new CreateStreamCommand({ StreamName: 'reshard', ShardCount: 1 }));
    await kinesis.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'before', Data: bytes('before') }));
    const half = ((MAX_HASH_KEY + 1n) / 2n).toString();
    await kinesis.send(new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: half }));
    let listed = await shards('reshard');
    expect(listed).toHaveLength(3);
    expect(listed[0]?.SequenceNumberRange?.EndingSequenceNumber).toEqual(expect.any(String));
    expect(listed.slice(1).map((s) => [s.ParentShardId, s.HashKeyRange?.StartingHashKey])).toEqual([
      ['shardId-000000000000', '0'],
      ['shardId-000000000000', half],
    ]);
    await kinesis.send(new PutRecordCommand({ StreamName: 'reshard', PartitionKey: 'after', Data: bytes('after') }));

    const parent = await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('reshard', 'shardId-000000000000', 'TRIM_HORIZON') }));
    expect((parent.Records ?? []).map((r) => text(r.Data))).toEqual(['before']);
    expect(parent.NextShardIterator).toBeUndefined();
    expect(parent.ChildShards?.map((c) => c.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
    const children = await Promise.all(
      ['shardId-000000000001', 'shardId-000000000002'].map(async (id) =>
        (await kinesis.send(new GetRecordsCommand({ ShardIterator: await iterator('reshard', id, 'TRIM_HORIZON') }))).Records ?? [],
      ),
    );
    expect(children.flat().map((r) => text(r.Data))).toEqual(['after']);

    await kinesis.send(new MergeShardsCommand({ StreamName: 'reshard', ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    listed = await shards('reshard');
    expect(listed[3]).toMatchObject({ ParentShardId: 'shardId-000000000001', AdjacentParentShardId: 'shardId-000000000002' });

    const scaled = await kinesis.send(new UpdateShardCountCommand({ StreamName: 'reshard', TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    expect(scaled).toMatchObject({ CurrentShardCount: 1, TargetShardCount: 2 });
    const open = (await shards('reshard')).filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
    expect(open.map((s) => s.ParentShardId)).toEqual(['shardId-000000000003', 'shardId-000000000003']);
    const latest = await kinesis.send(new ListShardsCommand({ StreamName: 'reshard', ShardFilter: { Type: 'AT_LATEST' } }));
    expect(latest.Shards?.map((s) => s.ShardId)).toEqual(open.map((s) => s.ShardId));
  });

  it('answers ProvisionedThroughputExceededException when the kinesis throttle of the fault controller runs dry, and expires old iterators', async () => {
    const it = await iterator('two', 'shardId-000000000000', 'TRIM_HORIZON');
    sim.faults.update({ kinesis: { throttleRps: 0.001, throttleBurst: 1 } });
    try {
      await kinesis.send(new GetRecordsCommand({ ShardIterator: it }));
      await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: it }))).rejects.toBeInstanceOf(ProvisionedThroughputExceededException);
    } finally {
      sim.faults.update({ kinesis: { throttleRps: null, throttleBurst: null } });
    }
    const stale = Buffer.from(JSON.stringify(['two', 'shardId-000000000000', 0, Date.now() - 301_000])).toString('base64');
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator: stale }))).rejects.toBeInstanceOf(ExpiredIteratorException);
  });

  it('publishes the simulated ECS events into an event stream, keyed by event id, as well as into the event queue', async () => {
    const withStream = await startSimulator({ port: 0, eventStream: { name: 'ecs-events', shardCount: 2 } });
    const client = new KinesisClient({ endpoint: withStream.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, requestHandler: http1() });
    try {
      expect(withStream.eventStreamArn).toBe('arn:aws:kinesis:us-east-1:000000000000:stream/ecs-events');
      await withStream.ecs?.handle('CreateCluster', { clusterName: 'c1' });
      for (let i = 0; i < 6; i++) {
        await withStream.ecs?.handle('RegisterContainerInstance', { cluster: 'c1', instanceIdentityDocument: JSON.stringify({ instanceId: `i-${i}` }) });
      }
      const listed = await client.send(new ListShardsCommand({ StreamARN: withStream.eventStreamArn }));
      const events: { id: string; resources: string[]; key: string | undefined }[] = [];
      for (const shard of listed.Shards ?? []) {
        const it = await client.send(
          new GetShardIteratorCommand({ StreamARN: withStream.eventStreamArn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
        );
        const got = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, StreamARN: withStream.eventStreamArn }));
        for (const r of got.Records ?? []) events.push({ ...(JSON.parse(text(r.Data)) as { id: string; resources: string[] }), key: r.PartitionKey });
      }
      expect(events).toHaveLength(6);
      for (const e of events) expect(e.key).toBe(e.id);
      expect(new Set(events.map((e) => e.resources[0])).size).toBe(6);
      expect(withStream.sqs.summaries().find((q) => q.name === 'ecs-events')?.stats.visible).toBe(6);
    } finally {
      client.destroy();
      await withStream.close();
    }
  });

  it('takes the event stream from --event-stream name:shards or ECS_SIM_EVENT_STREAM', () => {
    expect(parseCliOptions(['--event-stream', 'ecs-events:4'], {}).simulator.eventStream).toEqual({ name: 'ecs-events', shardCount: 4 });
    expect(parseCliOptions([], { ECS_SIM_EVENT_STREAM: 'events' }).simulator.eventStream).toEqual({ name: 'events', shardCount: 1 });
    expect(parseCliOptions([], {}).simulator.eventStream).toBeUndefined();
  });
});
