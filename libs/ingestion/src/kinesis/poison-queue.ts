import { SendMessageBatchCommand, type BatchResultErrorEntry, type MessageAttributeValue, type SQSClient } from '@aws-sdk/client-sqs';

/** A record the parser rejected, with where it was in the stream. */
export interface PoisonRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Uint8Array;
  reason: string;
}

/** SQS's body limit, with room for the attributes. */
const MAX_COPIED_BYTES = 250 * 1024;
const SQS_BATCH_LIMIT = 10;
// Characters an SQS body may hold (XML 1.0); anything else is sent as base64.
const SQS_UNSAFE = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}

function body(record: PoisonRecord): { body: string; encoding: string } {
  if (record.data.byteLength > MAX_COPIED_BYTES) {
    return { body: `record of ${record.data.byteLength} bytes, too large to copy: read it from the stream by its shard and sequence number`, encoding: 'omitted' };
  }
  const decoded = Buffer.from(record.data).toString('utf8');
  const roundTrips = Buffer.byteLength(decoded) === record.data.byteLength && !SQS_UNSAFE.test(decoded);
  return roundTrips ? { body: decoded, encoding: 'utf8' } : { body: Buffer.from(record.data).toString('base64'), encoding: 'base64' };
}

/**
 * Kinesis has no dead-letter queue: a record the ingestor cannot parse is skipped
 * once it is logged and counted. When KINESIS_POISON_QUEUE_URL is set, it is also
 * copied there (its bytes, shard, sequence number and reason), and the shard's
 * checkpoint does not pass it until SQS has taken the copy.
 */
export class PoisonQueue {
  constructor(
    private readonly sqs: SQSClient,
    readonly queueUrl: string,
  ) {}

  /**
   * Copies `records`, calling `onAccepted` for each one SQS has taken. A chunk's
   * entries succeed or fail one by one, so after a failure some copies exist:
   * the caller retries only the records not reported, which keeps a retry from
   * copying a record twice.
   */
  async copy(records: readonly PoisonRecord[], onAccepted: (record: PoisonRecord) => void = () => undefined): Promise<void> {
    const refused: BatchResultErrorEntry[] = [];
    for (let i = 0; i < records.length; i += SQS_BATCH_LIMIT) {
      const chunk = records.slice(i, i + SQS_BATCH_LIMIT);
      const res = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: chunk.map((r, j) => {
            const { body: messageBody, encoding } = body(r);
            return {
              Id: String(j),
              MessageBody: messageBody,
              MessageAttributes: {
                'kinesis.shardId': text(r.shardId),
                'kinesis.sequenceNumber': text(r.sequenceNumber),
                'kinesis.partitionKey': text(r.partitionKey || '-'),
                'ingestor.rejectReason': text(r.reason),
                'ingestor.bodyEncoding': text(encoding),
              },
            };
          }),
        }),
      );
      for (const { Id } of res.Successful ?? []) {
        const record = chunk[Number(Id)];
        if (record) onAccepted(record);
      }
      refused.push(...(res.Failed ?? []));
    }
    if (refused.length > 0) {
      throw new Error(`SQS refused ${refused.length} poison record copies (${refused[0]?.Code ?? 'unknown'}: ${refused[0]?.Message ?? ''})`);
    }
  }

  destroy(): void {
    this.sqs.destroy();
  }
}
