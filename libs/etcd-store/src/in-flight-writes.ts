/** A key's state as one write last knew it. */
export interface KeyState {
  /** 0 when the key is absent. */
  readonly modRevision: number;
  /** Undefined when absent; -Infinity when the stored bytes do not decode. */
  readonly version: number | undefined;
  readonly value: Buffer | undefined;
  /** The etcd revision at which this was true. */
  readonly at: number;
}

/** What a finished write knows of the keys it handled. */
export type KnownStates = ReadonlyMap<string, KeyState>;

/**
 * The keys this process's upserts are writing right now, each with the write
 * that holds it. A later upsert writes a held key only once the holder has
 * finished, starting from the state the holder left (so without reading it
 * again): two concurrent writes from one process would otherwise race on the
 * key's mod revision, and the loser's whole Txn would fail and be sent again.
 * Writers in other processes are still handled by the conditional Txn; this
 * only removes the races a process would have with itself.
 */
export class InFlightWrites {
  private readonly holders = new Map<string, Promise<KnownStates>>();

  /** The write in flight that holds `key`, if any. */
  holderOf(key: string): Promise<KnownStates> | undefined {
    return this.holders.get(key);
  }

  /** `write` holds `keys` until it settles; later callers wait for it, not the other way round. */
  hold(keys: readonly string[], write: Promise<KnownStates>): void {
    for (const key of keys) this.holders.set(key, write);
    const release = (): void => {
      for (const key of keys) if (this.holders.get(key) === write) this.holders.delete(key);
    };
    write.then(release, release);
  }
}
