import type { ServerResponse } from 'node:http';
import type { ResponseBufferPool } from '../http/response-buffer-pool';
import type { ApiEntry } from './api-record';
import { itemByteLength, itemHead, ITEM_TAIL, writeItem } from './item-bytes';

/** Bytes copied per write: large enough for few syscalls, small enough to bound memory per list. */
export const LIST_CHUNK_BYTES = 128 * 1024;

const BODY_HEAD = '{"items":[';
const SEPARATOR = ',';
const SEPARATOR_BYTE = 0x2c;

function bodyTail(revision: number): string {
  return `],"revision":"${revision}"}`;
}

/** Why a list body stopped being written. */
export type ListBodyOutcome = 'complete' | 'client_closed' | 'stalled' | 'failed';

export interface ListBodyWriterOptions {
  /** Headers already set (see `listBodyLength` for Content-Length); the writer writes the body and ends it. */
  readonly response: ServerResponse;
  /** The entries of one revision, taken synchronously: immutable, so later changes cannot reach them. */
  readonly items: readonly ApiEntry[];
  readonly revision: number;
  readonly buffers: ResponseBufferPool;
  /** Called once, when the writer has let go of the entries. */
  readonly onSettled: (outcome: ListBodyOutcome) => void;
  readonly chunkBytes?: number;
  /**
   * How long the socket may refuse more bytes (no `drain`) before the client
   * counts as gone: the response is destroyed and the entries let go.
   */
  readonly stallTimeoutMs?: number;
}

/** Default of `stallTimeoutMs`. */
export const LIST_STALL_TIMEOUT_MS = 60_000;

/** Exact byte length of the body `ListBodyWriter` writes. */
export function listBodyLength(items: readonly ApiEntry[], revision: number): number {
  let length = BODY_HEAD.length + bodyTail(revision).length + Math.max(0, items.length - 1) * SEPARATOR.length;
  for (const entry of items) length += itemByteLength(entry);
  return length;
}

/**
 * Writes `{"items":[…],"revision":"N"}` — a list of any size — into pooled
 * chunks, one chunk at a time: the next chunk is filled only once the socket
 * has taken the previous ones (`drain`), and a chunk goes back to the pool when
 * its write has completed. Memory is a chunk or two per response whatever the
 * list's length, and a client that stops reading holds no more than that plus
 * the array of entry references. A client that goes away stops the writer and
 * releases the entries at once.
 */
export class ListBodyWriter {
  private items: readonly ApiEntry[] | undefined;
  private next = 0;
  private headWritten = false;
  private tailWritten = false;
  private settled = false;
  private readonly chunkBytes: number;
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListBodyWriterOptions) {
    this.items = options.items;
    this.chunkBytes = options.chunkBytes ?? LIST_CHUNK_BYTES;
  }

  start(): void {
    this.options.response.once('close', this.onClose);
    this.pump();
  }

  private readonly onClose = (): void => this.settle('client_closed');

  // A client that stops reading would otherwise hold the entries, and the server's shutdown, for as long as its socket lives.
  private readonly onStall = (): void => {
    this.settle('stalled');
    this.options.response.destroy();
  };

  private readonly pump = (): void => {
    clearTimeout(this.stallTimer);
    const response = this.options.response;
    try {
      while (!this.settled) {
        if (this.tailWritten) {
          response.end();
          this.settle('complete');
          return;
        }
        if (!this.writeChunk()) {
          response.once('drain', this.pump);
          this.stallTimer = setTimeout(this.onStall, this.options.stallTimeoutMs ?? LIST_STALL_TIMEOUT_MS);
          this.stallTimer.unref();
          return;
        }
      }
    } catch {
      // Nothing here should throw; if it does, the client must see a broken body, not a short valid one.
      this.settle('failed');
      response.destroy();
    }
  };

  /** Writes the next chunk; false when the socket asks to wait for `drain`. */
  private writeChunk(): boolean {
    const items = this.items ?? [];
    const { response, buffers } = this.options;
    const chunk = buffers.acquire(this.chunkBytes);
    let used = 0;
    if (!this.headWritten) {
      used += chunk.write(BODY_HEAD, used, 'latin1');
      this.headWritten = true;
    }
    for (; this.next < items.length; this.next++) {
      const entry = items[this.next] as ApiEntry;
      const separated = this.next > 0;
      if (used + (separated ? 1 : 0) + itemByteLength(entry) > chunk.length) {
        if (used > 0) break;
        // An item larger than a chunk goes out in its own writes; its entity bytes are never modified, so they need no copy.
        buffers.release(chunk);
        this.next++;
        response.write((separated ? SEPARATOR : '') + itemHead(entry), 'latin1');
        response.write(entry.state.entity);
        return response.write(ITEM_TAIL, 'latin1');
      }
      if (separated) chunk[used++] = SEPARATOR_BYTE;
      used = writeItem(chunk, used, entry);
    }
    if (this.next === items.length) {
      const tail = bodyTail(this.options.revision);
      if (used + tail.length <= chunk.length) {
        used += chunk.write(tail, used, 'latin1');
        this.tailWritten = true;
      }
    }
    // Back to the pool only once the socket has taken the bytes; a failed write leaves the chunk to the collector.
    return response.write(chunk.subarray(0, used), (error) => {
      if (error == null) buffers.release(chunk);
    });
  }

  private settle(outcome: ListBodyOutcome): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.stallTimer);
    this.items = undefined;
    this.options.response.off('close', this.onClose);
    this.options.response.off('drain', this.pump);
    this.options.onSettled(outcome);
  }
}
