import { randomUUID } from 'node:crypto';
import { AwsError } from '../aws/aws-error';
import type { EventPublisher } from '../aws/event-publisher';
import { hashKeyOf } from './hash-key';
import { KinesisStream } from './kinesis-stream';

export interface KinesisEngineOptions {
  region?: string;
  accountId?: string;
}

export interface StreamSummary {
  name: string;
  arn: string;
  openShards: number;
  shards: number;
  records: number;
}

/** The event's id keeps partition keys spread evenly, as EventBridge's default for a stream target does. */
function partitionKeyOf(body: string): string {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 256) return id;
  } catch {
    // not an event: any key will do
  }
  return randomUUID();
}

/** The simulated Kinesis Data Streams of one account and region. */
export class KinesisEngine {
  readonly region: string;
  readonly accountId: string;
  private readonly streams = new Map<string, KinesisStream>();

  constructor(options: KinesisEngineOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '000000000000';
  }

  arnOf(name: string): string {
    return `arn:aws:kinesis:${this.region}:${this.accountId}:stream/${name}`;
  }

  createStream(name: string, shardCount = 1): KinesisStream {
    if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) throw new AwsError('ValidationException', `StreamName ${name} is invalid.`);
    if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > 1024) {
      throw new AwsError('InvalidArgumentException', 'ShardCount must be between 1 and 1024.');
    }
    if (this.streams.has(name)) throw new AwsError('ResourceInUseException', `Stream ${name} under account ${this.accountId} already exists.`);
    const stream = new KinesisStream(name, this.arnOf(name), shardCount);
    this.streams.set(name, stream);
    return stream;
  }

  deleteStream(name: string): void {
    this.stream(name);
    this.streams.delete(name);
  }

  /** A stream by name or ARN. */
  stream(nameOrArn: string): KinesisStream {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
    const stream = this.streams.get(name);
    if (!stream || (nameOrArn.startsWith('arn:') && stream.arn !== nameOrArn)) {
      throw new AwsError('ResourceNotFoundException', `Stream ${name} under account ${this.accountId} not found.`);
    }
    return stream;
  }

  names(): string[] {
    return [...this.streams.keys()].sort();
  }

  summaries(): StreamSummary[] {
    return this.names().map((name) => {
      const s = this.streams.get(name) as KinesisStream;
      return { name, arn: s.arn, openShards: s.openShards.length, shards: s.shards.length, records: s.shards.reduce((n, sh) => n + sh.records.length, 0) };
    });
  }

  /** Where ECS events go when the stream is their target, as with an EventBridge rule targeting the stream. */
  publisherFor(nameOrArn: string): EventPublisher {
    const name = this.stream(nameOrArn).name;
    return {
      publish: (body: string) => {
        // Looked up per event, so a deleted-and-recreated stream keeps receiving.
        const stream = this.streams.get(name);
        if (!stream) return;
        const key = partitionKeyOf(body);
        stream.put(hashKeyOf(key), Buffer.from(body, 'utf8').toString('base64'), key);
      },
    };
  }
}
