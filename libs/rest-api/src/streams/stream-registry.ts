import type { StreamEndReason, StreamSession } from './stream-session';

export interface StreamRegistryOptions {
  readonly heartbeatMs: number;
  readonly maxClients: number;
}

/**
 * The open streams of this process: one timer sends every heartbeat, and
 * shutdown ends them all with a final message.
 */
export class StreamRegistry {
  private readonly sessions = new Set<StreamSession>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StreamRegistryOptions) {}

  get size(): number {
    return this.sessions.size;
  }

  get full(): boolean {
    return this.sessions.size >= this.options.maxClients;
  }

  add(session: StreamSession): void {
    this.sessions.add(session);
    if (this.timer === undefined) {
      this.timer = setInterval(() => {
        for (const s of this.sessions) s.heartbeat();
      }, this.options.heartbeatMs);
      this.timer.unref();
    }
  }

  remove(session: StreamSession): void {
    this.sessions.delete(session);
    if (this.sessions.size === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  endAll(reason: StreamEndReason): void {
    for (const session of [...this.sessions]) session.end(reason);
  }
}
