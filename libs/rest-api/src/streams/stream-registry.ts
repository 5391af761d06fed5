import type { StreamEndReason, StreamSession } from './stream-session';

export interface StreamRegistryOptions {
  readonly heartbeatMs: number;
  readonly maxClients: number;
}

/**
 * A place under the stream cap, taken when a stream request is admitted and
 * held until the stream ends or fails to open. Opening may take an etcd round
 * trip; the place is held during it, so concurrent opens cannot all pass the
 * check and overshoot the cap.
 */
export interface StreamSlot {
  /**
   * Aborts when the registry ends every stream (shutdown) before a session
   * was attached: the open in progress should give up.
   */
  readonly signal: AbortSignal;
  /**
   * The stream is open: its session gets heartbeats and is ended with the
   * others. False (and nothing registered) when the slot was already released.
   */
  attach(session: StreamSession): boolean;
  /** Frees the place; called on every exit path, more than once is fine. */
  release(): void;
}

/**
 * The open streams of this process, and the cap on them: one timer sends
 * every heartbeat, and shutdown ends them all with a final message.
 */
export class StreamRegistry {
  private readonly sessions = new Set<StreamSession>();
  private readonly opening = new Set<AbortController>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamRegistryOptions) {}

  /** Streams open or being opened. */
  get size(): number {
    return this.sessions.size + this.opening.size;
  }

  /** Takes a place under the cap, or null when every place is taken. Synchronous, hence atomic. */
  reserve(): StreamSlot | null {
    if (this.size >= this.options.maxClients) return null;
    const opening = new AbortController();
    this.opening.add(opening);
    let attached: StreamSession | undefined;
    let released = false;
    return {
      signal: opening.signal,
      attach: (session) => {
        if (released || attached !== undefined) return false;
        this.opening.delete(opening);
        attached = session;
        this.add(session);
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.opening.delete(opening);
        if (attached !== undefined) this.remove(attached);
      },
    };
  }

  endAll(reason: StreamEndReason): void {
    for (const opening of [...this.opening]) opening.abort(new Error(`streams ended: ${reason}`));
    for (const session of [...this.sessions]) session.end(reason);
  }

  private add(session: StreamSession): void {
    this.sessions.add(session);
    if (this.timer === undefined) {
      this.timer = setInterval(() => {
        for (const s of this.sessions) s.heartbeat();
      }, this.options.heartbeatMs);
      this.timer.unref();
    }
  }

  private remove(session: StreamSession): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
