import { z } from 'zod';
import { AwsError } from '../aws/aws-error';
import type { SimulatedService } from '../aws/service';
import { hashKeyOf, parseHashKey } from './hash-key';
import type { KinesisEngine } from './kinesis-engine';
import type { KinesisShard } from './kinesis-shard';
import type { KinesisStream } from './kinesis-stream';
import { decodeIterator, encodeIterator } from './shard-iterator';

const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_GET_RECORDS = 10_000;
/** Kinesis returns at most 10 MiB of data per GetRecords. */
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;

const streamRef = { StreamName: z.string().optional(), StreamARN: z.string().optional() };
const putEntry = { Data: z.string(), PartitionKey: z.string(), ExplicitHashKey: z.string().optional() };

const schemas = {
  CreateStream: z.object({ StreamName: z.string(), ShardCount: z.number().int().optional(), StreamModeDetails: z.object({ StreamMode: z.string() }).optional() }),
  DeleteStream: z.object({ ...streamRef, EnforceConsumerDeletion: z.boolean().optional() }),
  ListStreams: z.object({ Limit: z.number().int().optional(), ExclusiveStartStreamName: z.string().optional(), NextToken: z.string().optional() }),
  DescribeStreamSummary: z.object(streamRef),
  ListShards: z.object({
    ...streamRef,
    NextToken: z.string().optional(),
    ExclusiveStartShardId: z.string().optional(),
    MaxResults: z.number().int().optional(),
    ShardFilter: z.object({ Type: z.string(), ShardId: z.string().optional() }).optional(),
  }),
  GetShardIterator: z.object({
    ...streamRef,
    ShardId: z.string(),
    ShardIteratorType: z.string(),
    StartingSequenceNumber: z.string().optional(),
    Timestamp: z.number().optional(),
  }),
  GetRecords: z.object({ ShardIterator: z.string(), Limit: z.number().int().optional(), StreamARN: z.string().optional() }),
  PutRecord: z.object({ ...streamRef, ...putEntry, SequenceNumberForOrdering: z.string().optional() }),
  PutRecords: z.object({ ...streamRef, Records: z.array(z.object(putEntry)) }),
  UpdateShardCount: z.object({ ...streamRef, TargetShardCount: z.number().int(), ScalingType: z.string() }),
  SplitShard: z.object({ ...streamRef, ShardToSplit: z.string(), NewStartingHashKey: z.string() }),
  MergeShards: z.object({ ...streamRef, ShardToMerge: z.string(), AdjacentShardToMerge: z.string() }),
};

type Operation = keyof typeof schemas;

function invalid(message: string): AwsError {
  return new AwsError('InvalidArgumentException', message);
}

/** Epoch seconds, the JSON protocol's timestamp form. */
function seconds(ms: number): number {
  return ms / 1000;
}

function decodedLength(base64: string): number {
  return Buffer.byteLength(base64, 'base64');
}

/**
 * Kinesis Data Streams' JSON protocol (awsJson1_1, `X-Amz-Target: Kinesis_20131202.<Op>`),
 * as `@aws-sdk/client-kinesis` speaks it: blobs are base64, timestamps epoch seconds.
 */
export class KinesisService implements SimulatedService {
  readonly targetPrefix = 'Kinesis_20131202';
  readonly contentType = 'application/x-amz-json-1.1';

  constructor(
    private readonly engine: KinesisEngine,
    private readonly now: () => number = Date.now,
  ) {}

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    if (!(operation in schemas)) throw new AwsError('UnknownOperationException', `Operation ${operation} is not simulated.`);
    const op = operation as Operation;
    const parsed = schemas[op].parse(input) as never;
    switch (op) {
      case 'CreateStream':
        return this.createStream(parsed);
      case 'DeleteStream':
        this.engine.deleteStream(this.streamOf(parsed).name);
        return {};
      case 'ListStreams':
        return this.listStreams(parsed);
      case 'DescribeStreamSummary':
        return this.describeSummary(this.streamOf(parsed));
      case 'ListShards':
        return this.listShards(parsed);
      case 'GetShardIterator':
        return this.getShardIterator(parsed);
      case 'GetRecords':
        return this.getRecords(parsed);
      case 'PutRecord':
        return this.putRecord(parsed);
      case 'PutRecords':
        return this.putRecords(parsed);
      case 'UpdateShardCount':
        return this.updateShardCount(parsed);
      case 'SplitShard':
        return this.splitShard(parsed);
      case 'MergeShards':
        return this.mergeShards(parsed);
    }
  }

  private streamOf(input: { StreamName?: string | undefined; StreamARN?: string | undefined }): KinesisStream {
    const ref = input.StreamARN ?? input.StreamName;
    if (!ref) throw invalid('Either StreamName or StreamARN should be provided.');
    return this.engine.stream(ref);
  }

  private createStream(input: z.infer<typeof schemas.CreateStream>): unknown {
    if (input.StreamModeDetails?.StreamMode === 'ON_DEMAND') this.engine.createStream(input.StreamName, input.ShardCount ?? 4);
    else this.engine.createStream(input.StreamName, input.ShardCount ?? 1);
    return {};
  }

  private listStreams(input: z.infer<typeof schemas.ListStreams>): unknown {
    const names = this.engine.names().filter((n) => input.ExclusiveStartStreamName === undefined || n > input.ExclusiveStartStreamName);
    const limit = input.Limit ?? 100;
    const page = names.slice(0, limit);
    return {
      StreamNames: page,
      StreamSummaries: page.map((n) => {
        const s = this.engine.stream(n);
        return { StreamName: n, StreamARN: s.arn, StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' }, StreamCreationTimestamp: seconds(s.createdAt) };
      }),
      HasMoreStreams: names.length > limit,
    };
  }

  private describeSummary(stream: KinesisStream): unknown {
    return {
      StreamDescriptionSummary: {
        StreamName: stream.name,
        StreamARN: stream.arn,
        StreamStatus: 'ACTIVE',
        StreamModeDetails: { StreamMode: 'PROVISIONED' },
        RetentionPeriodHours: 24,
        StreamCreationTimestamp: seconds(stream.createdAt),
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: 'NONE',
        OpenShardCount: stream.openShards.length,
        ConsumerCount: 0,
      },
    };
  }

  private listShards(input: z.infer<typeof schemas.ListShards>): unknown {
    let stream: KinesisStream;
    let from = 0;
    if (input.NextToken !== undefined) {
      if (input.StreamName !== undefined || input.ExclusiveStartShardId !== undefined || input.ShardFilter !== undefined) {
        throw invalid('NextToken and StreamName, ExclusiveStartShardId or ShardFilter cannot be provided together.');
      }
      const [name, index] = Buffer.from(input.NextToken, 'base64').toString('utf8').split('\n');
      if (name === undefined || index === undefined || !/^\d+$/.test(index)) throw invalid('Invalid NextToken.');
      stream = this.engine.stream(name);
      from = Number(index);
    } else {
      stream = this.streamOf(input);
      if (input.ExclusiveStartShardId !== undefined) {
        from = stream.shards.findIndex((s) => s.shardId > (input.ExclusiveStartShardId as string));
        if (from < 0) from = stream.shards.length;
      }
    }
    const max = input.MaxResults ?? 1000;
    if (max < 1 || max > 10_000) throw invalid('MaxResults must be between 1 and 10000.');
    const filter = input.ShardFilter?.Type;
    const shards = stream.shards.slice(from).filter((s) => filter !== 'AT_LATEST' || s.open);
    const page = shards.slice(0, max);
    const next = from + page.length;
    return {
      Shards: page.map((s) => s.describe()),
      ...(filter === undefined && next < stream.shards.length ? { NextToken: Buffer.from(`${stream.name}\n${next}`).toString('base64') } : {}),
    };
  }

  private getShardIterator(input: z.infer<typeof schemas.GetShardIterator>): unknown {
    const stream = this.streamOf(input);
    const shard = stream.shard(input.ShardId);
    const sequence = (): bigint => {
      if (input.StartingSequenceNumber === undefined || !/^\d{1,128}$/.test(input.StartingSequenceNumber)) {
        throw invalid(`StartingSequenceNumber is required and must be a number for ${input.ShardIteratorType}.`);
      }
      return BigInt(input.StartingSequenceNumber);
    };
    let index: number;
    switch (input.ShardIteratorType) {
      case 'TRIM_HORIZON':
        index = 0;
        break;
      case 'LATEST':
        index = shard.records.length;
        break;
      case 'AT_SEQUENCE_NUMBER':
        index = shard.indexOfSequence(this.inShard(shard, sequence()), false);
        break;
      case 'AFTER_SEQUENCE_NUMBER':
        index = shard.indexOfSequence(this.inShard(shard, sequence()), true);
        break;
      case 'AT_TIMESTAMP':
        if (input.Timestamp === undefined) throw invalid('Timestamp is required for AT_TIMESTAMP.');
        index = shard.indexOfTime(input.Timestamp * 1000);
        break;
      default:
        throw invalid(`ShardIteratorType ${input.ShardIteratorType} is not one of TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP.`);
    }
    return { ShardIterator: encodeIterator({ stream: stream.name, shardId: shard.shardId, index, issuedAt: this.now() }) };
  }

  private inShard(shard: KinesisShard, sequence: bigint): bigint {
    const end = shard.endingSequenceNumber;
    if (sequence < shard.startingSequenceNumber || (end !== undefined && sequence > end)) {
      throw invalid(`StartingSequenceNumber ${sequence} used in GetShardIterator on shard ${shard.shardId} is not in the shard's sequence number range.`);
    }
    return sequence;
  }

  private getRecords(input: z.infer<typeof schemas.GetRecords>): unknown {
    const now = this.now();
    const position = decodeIterator(input.ShardIterator, now);
    const limit = input.Limit ?? MAX_GET_RECORDS;
    if (limit < 1 || limit > MAX_GET_RECORDS) throw invalid('Limit must be between 1 and 10000.');
    const stream = this.engine.stream(position.stream);
    const shard = stream.shard(position.shardId);
    const records = [];
    let bytes = 0;
    for (let i = position.index; i < shard.records.length && records.length < limit; i++) {
      const record = shard.records[i] as (typeof shard.records)[number];
      bytes += decodedLength(record.data);
      if (records.length > 0 && bytes > MAX_GET_RECORDS_BYTES) break;
      records.push(record);
    }
    const next = position.index + records.length;
    const drained = next >= shard.records.length;
    const oldestUnread = shard.records[next];
    return {
      Records: records.map((r) => ({
        SequenceNumber: r.sequenceNumber.toString(),
        ApproximateArrivalTimestamp: seconds(r.arrivedAt),
        Data: r.data,
        PartitionKey: r.partitionKey,
      })),
      // A closed shard read to its end has no next iterator: its children take over.
      NextShardIterator: !shard.open && drained ? null : encodeIterator({ ...position, index: next, issuedAt: now }),
      MillisBehindLatest: oldestUnread === undefined ? 0 : Math.max(0, now - oldestUnread.arrivedAt),
      ...(!shard.open && drained ? { ChildShards: this.childrenOf(stream, shard.shardId) } : {}),
    };
  }

  private childrenOf(stream: KinesisStream, shardId: string): unknown[] {
    return stream.shards
      .filter((s) => s.lineage.parentShardId === shardId || s.lineage.adjacentParentShardId === shardId)
      .map((s) => {
        const d = s.describe();
        return { ShardId: s.shardId, ParentShards: [s.lineage.parentShardId, s.lineage.adjacentParentShardId].filter(Boolean), HashKeyRange: d['HashKeyRange'] };
      });
  }

  private putOne(stream: KinesisStream, entry: { Data: string; PartitionKey: string; ExplicitHashKey?: string | undefined }): { SequenceNumber: string; ShardId: string } {
    if (entry.PartitionKey.length < 1 || entry.PartitionKey.length > 256) throw invalid('PartitionKey must be 1-256 characters.');
    if (decodedLength(entry.Data) > MAX_RECORD_BYTES) throw invalid('Data must be at most 1 MiB.');
    let hashKey = hashKeyOf(entry.PartitionKey);
    if (entry.ExplicitHashKey !== undefined) {
      const explicit = parseHashKey(entry.ExplicitHashKey);
      if (explicit === null) throw invalid(`ExplicitHashKey ${entry.ExplicitHashKey} is not a hash key.`);
      hashKey = explicit;
    }
    const put = stream.put(hashKey, entry.Data, entry.PartitionKey, this.now());
    return { SequenceNumber: put.sequenceNumber, ShardId: put.shardId };
  }

  private putRecord(input: z.infer<typeof schemas.PutRecord>): unknown {
    return { ...this.putOne(this.streamOf(input), input), EncryptionType: 'NONE' };
  }

  private putRecords(input: z.infer<typeof schemas.PutRecords>): unknown {
    if (input.Records.length < 1 || input.Records.length > 500) throw invalid('Records must hold 1-500 entries.');
    const stream = this.streamOf(input);
    return { FailedRecordCount: 0, Records: input.Records.map((r) => this.putOne(stream, r)), EncryptionType: 'NONE' };
  }

  private updateShardCount(input: z.infer<typeof schemas.UpdateShardCount>): unknown {
    if (input.ScalingType !== 'UNIFORM_SCALING') throw invalid('ScalingType must be UNIFORM_SCALING.');
    const stream = this.streamOf(input);
    const current = stream.openShards.length;
    stream.updateShardCount(input.TargetShardCount);
    return { StreamName: stream.name, StreamARN: stream.arn, CurrentShardCount: current, TargetShardCount: input.TargetShardCount };
  }

  private splitShard(input: z.infer<typeof schemas.SplitShard>): unknown {
    const key = parseHashKey(input.NewStartingHashKey);
    if (key === null) throw invalid(`NewStartingHashKey ${input.NewStartingHashKey} is not a hash key.`);
    this.streamOf(input).split(input.ShardToSplit, key);
    return {};
  }

  private mergeShards(input: z.infer<typeof schemas.MergeShards>): unknown {
    this.streamOf(input).merge(input.ShardToMerge, input.AdjacentShardToMerge);
    return {};
  }
}
