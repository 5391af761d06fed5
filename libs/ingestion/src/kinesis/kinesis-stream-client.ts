import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  type KinesisClientConfig,
  type ShardIteratorType,
} from '@aws-sdk/client-kinesis';
import type { ShardCheckpoint } from '@ecs-state/etcd-store';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { KinesisMetrics } from './kinesis-metrics';

/** A shard as the reader needs it. */
export interface ShardInfo {
  shardId: string;
  /** The parent and the adjacent parent (a merge), when they exist. */
  parents: string[];
}

export interface StreamRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
}

export interface RecordsPage {
  records: StreamRecord[];
  /** Absent once a closed shard has been read to its end. */
  nextIterator?: string;
  millisBehindLatest: number;
}

export interface StreamTarget {
  streamName?: string;
  streamArn?: string;
}

export interface KinesisStreamClientOptions {
  /** Region, endpoint and credentials; empty reads the SDK's standard variables (AWS_ENDPOINT_URL_KINESIS, …). */
  client?: KinesisClientConfig;
  /** Concurrent calls: one per shard read at a time, plus the coordinator's. */
  maxSockets: number;
  metrics: KinesisMetrics;
}

/**
 * The Kinesis calls of the ingestor on one stream. The SDK's Kinesis client
 * defaults to HTTP/2, which only SubscribeToShard needs; the polling calls used
 * here go over HTTP/1.1 keep-alive connections like the SQS client's.
 */
export class KinesisStreamClient {
  private readonly client: KinesisClient;
  private readonly metrics: KinesisMetrics;

  constructor(options: KinesisStreamClientOptions) {
    this.metrics = options.metrics;
    this.client = new KinesisClient({
      ...options.client,
      cacheMiddleware: true,
      requestHandler: new NodeHttpHandler({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets }),
      }),
    });
  }

  /** The stream's name and ARN (the ARN names the coordination keys in etcd). */
  async describe(target: StreamTarget): Promise<{ name: string; arn: string }> {
    const res = await this.call('DescribeStreamSummary', () =>
      this.client.send(new DescribeStreamSummaryCommand(target.streamArn ? { StreamARN: target.streamArn } : { StreamName: target.streamName })),
    );
    const summary = res.StreamDescriptionSummary;
    if (!summary?.StreamName || !summary.StreamARN) throw new Error('Kinesis described the stream without a name or ARN');
    return { name: summary.StreamName, arn: summary.StreamARN };
  }

  async listShards(streamArn: string): Promise<ShardInfo[]> {
    const shards: ShardInfo[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListShards', () =>
        this.client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamARN: streamArn })),
      );
      for (const s of page.Shards ?? []) {
        if (!s.ShardId) continue;
        shards.push({
          shardId: s.ShardId,
          parents: [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => typeof p === 'string' && p.length > 0),
        });
      }
      token = page.NextToken;
    } while (token);
    return shards;
  }

  /** An iterator just after the checkpoint, or at the shard's oldest record without one. */
  async iterator(streamArn: string, shardId: string, from: ShardCheckpoint | undefined): Promise<string> {
    const position: { ShardIteratorType: ShardIteratorType; StartingSequenceNumber?: string } =
      from?.kind === 'sequence' ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: from.sequenceNumber } : { ShardIteratorType: 'TRIM_HORIZON' };
    const res = await this.call('GetShardIterator', () => this.client.send(new GetShardIteratorCommand({ StreamARN: streamArn, ShardId: shardId, ...position })));
    if (!res.ShardIterator) throw new Error(`Kinesis returned no iterator for ${shardId}`);
    return res.ShardIterator;
  }

  async getRecords(streamArn: string, iterator: string, limit: number): Promise<RecordsPage> {
    const res = await this.call('GetRecords', () => this.client.send(new GetRecordsCommand({ StreamARN: streamArn, ShardIterator: iterator, Limit: limit })));
    const records: StreamRecord[] = [];
    for (const r of res.Records ?? []) {
      if (!r.SequenceNumber || !r.Data) continue;
      records.push({ sequenceNumber: r.SequenceNumber, partitionKey: r.PartitionKey ?? '', data: r.Data });
    }
    return { records, ...(res.NextShardIterator ? { nextIterator: res.NextShardIterator } : {}), millisBehindLatest: res.MillisBehindLatest ?? 0 };
  }

  destroy(): void {
    this.client.destroy();
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    const end = this.metrics.callSeconds.startTimer({ operation });
    try {
      return await send();
    } catch (error) {
      this.metrics.errors.inc({ operation });
      throw error;
    } finally {
      end();
    }
  }
}
