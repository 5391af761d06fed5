import type { ServerResponse } from 'node:http';
import type { RecordKind } from '@ecs-state/domain';
import type { ApiChange } from '../v1/api-record';
import { encodeChanges, type StreamEncoding, type StreamFormat } from './change-encoding';

export type { StreamFormat } from './change-encoding';

/** Why the server ended a stream; sent to the client in the final message. */
export type StreamEndReason = 'slow_client' | 'server_shutdown' | 'view_resync' | 'view_stopped';

export interface StreamSessionOptions {
  readonly response: ServerResponse;
  readonly kind: RecordKind;
  readonly format: StreamFormat;
  readonly tombstones: boolean;
  /** Bytes the socket may hold unsent before the client counts as too slow. */
  readonly maxBufferedBytes: number;
  /** The revision the stream starts after. */
  readonly afterRevision: number;
  readonly onEnd: (reason: StreamEndReason | 'client_closed') => void;
}

const END_MESSAGES: Record<StreamEndReason, string> = {
  slow_client: 'client is not reading fast enough; reconnect with afterRevision=<resumeAfterRevision>',
  server_shutdown: 'server is shutting down; reconnect with afterRevision=<resumeAfterRevision>',
  view_resync: 'the server reloaded its state; list again and stream from the new revision',
  view_stopped: 'the server stopped serving state; reconnect with afterRevision=<resumeAfterRevision>',
};

/** Every reason a stream ends for, the client's own close included: the ended-streams metric's label values. */
export const STREAM_END_REASONS: readonly (StreamEndReason | 'client_closed')[] = ['client_closed', ...(Object.keys(END_MESSAGES) as StreamEndReason[])];

/** Time a final message gets to reach a client before the socket is destroyed. */
const END_GRACE_MS = 1000;

/**
 * One stream client. Writes never wait: when the socket already holds more
 * than the allowed bytes, the client is dropped with a message naming the
 * revision to resume after, so a stalled client costs a bounded amount of
 * memory and never delays anyone else.
 */
export class StreamSession {
  private ended = false;
  /** Every change up to this revision has been written (or did not concern this stream). */
  private delivered: number;
  private readonly encoding: StreamEncoding;

  constructor(private readonly options: StreamSessionOptions) {
    this.delivered = options.afterRevision;
    this.encoding = { kind: options.kind, format: options.format, tombstones: options.tombstones };
    options.response.on('close', () => this.finish('client_closed'));
  }

  get resumeAfterRevision(): number {
    return this.delivered;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Writes a batch of whole revisions. */
  deliver(changes: readonly ApiChange[]): void {
    if (this.ended || changes.length === 0) return;
    if (this.options.response.writableLength > this.options.maxBufferedBytes) {
      this.end('slow_client');
      return;
    }
    const bytes = encodeChanges(changes, this.encoding, this.delivered);
    for (const change of changes) if (change.revision > this.delivered) this.delivered = change.revision;
    // Every stream of the same encoding is handed the same Buffer; sockets only reference it.
    if (bytes !== null) this.options.response.write(bytes);
  }

  heartbeat(): void {
    if (this.ended) return;
    if (this.options.response.writableLength > this.options.maxBufferedBytes) {
      this.end('slow_client');
      return;
    }
    // A bare newline is whitespace to JSON stream decoders; SSE has comments.
    this.options.response.write(this.options.format === 'sse' ? `: heartbeat ${this.delivered}\n\n` : '\n');
  }

  /** Ends the stream with a final message saying why and where to resume. */
  end(reason: StreamEndReason): void {
    if (this.ended) return;
    const body = JSON.stringify({
      error: { reason, message: END_MESSAGES[reason], resumeAfterRevision: String(this.delivered) },
    });
    const response = this.options.response;
    this.finish(reason);
    response.end(this.options.format === 'sse' ? `event: end\ndata: ${body}\n\n` : `${body}\n`);
    // A client that does not read will never take the final bytes.
    setTimeout(() => response.destroy(), END_GRACE_MS).unref();
  }

  private finish(reason: StreamEndReason | 'client_closed'): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd(reason);
  }
}
