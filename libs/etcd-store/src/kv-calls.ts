import type { Etcd3, IRangeRequest, IRangeResponse, IRequestOp, ITxnRequest, ITxnResponse } from 'etcd3';
import { CompactedRevisionError, EtcdNoSpaceError } from './errors';
import { isNoSpaceError } from './no-space';
import type { RoundTripCounter } from './round-trips';

const COMPACTED_MESSAGE = 'required revision has been compacted';

export function isCompactedError(error: unknown): boolean {
  return error instanceof Error && error.message.includes(COMPACTED_MESSAGE);
}

/** The only door to etcd's KV service: counts calls, notes the last accepted write, and types compaction and full-database errors. */
export class KvCalls {
  private lastWrite: number | undefined;

  constructor(
    private readonly client: Etcd3,
    readonly counter: RoundTripCounter,
    private readonly now: () => number = Date.now,
  ) {}

  /** When etcd last applied a Txn branch that puts or deletes; undefined before the first. */
  get lastWriteAt(): number | undefined {
    return this.lastWrite;
  }

  async txn(request: ITxnRequest): Promise<ITxnResponse> {
    this.counter.txn++;
    this.counter.peakTxnsInFlight = Math.max(this.counter.peakTxnsInFlight, ++this.counter.txnsInFlight);
    let response: ITxnResponse;
    try {
      response = await this.client.kv.txn(request);
    } catch (error) {
      if (isNoSpaceError(error)) throw new EtcdNoSpaceError({ cause: error });
      throw error;
    } finally {
      this.counter.txnsInFlight--;
    }
    if (writes(response.succeeded ? request.success : request.failure)) this.lastWrite = this.now();
    return response;
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

function writes(ops: readonly IRequestOp[] | undefined): boolean {
  return ops?.some((op) => op.request_put !== undefined || op.request_delete_range !== undefined) ?? false;
}
