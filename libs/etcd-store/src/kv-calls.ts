import type { Etcd3, IRangeRequest, IRangeResponse, ITxnRequest, ITxnResponse } from 'etcd3';
import { CompactedRevisionError } from './errors';
import type { RoundTripCounter } from './round-trips';

const COMPACTED_MESSAGE = 'required revision has been compacted';

export function isCompactedError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(COMPACTED_MESSAGE);
}

/** The only door to etcd's KV service: counts calls and types compaction errors. */
export class KvCalls {
  constructor(
    private readonly client: Etcd3,
    readonly counter: RoundTripCounter,
  ) {}

  async txn(request: ITxnRequest): Promise<ITxnResponse> {
    this.counter.txn++;
    return this.client.kv.txn(request);
  }

  async range(request: IRangeRequest): Promise<IRangeResponse> {
    this.counter.range++;
    try {
      return await this.client.kv.range(request);
    } catch (error) {
      if (isCompactedError(error) && request.revision !== undefined) {
        throw new CompactedRevisionError(Number(request.revision), undefined, { cause: error });
      }
      throw error;
    }
  }
}

export function isFutureRevisionError(error: unknown): boolean {
  return error instanceof Error && error.message.includes('required revision is a future revision');
}
