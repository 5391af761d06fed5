/** Base class of the errors the view raises on purpose. */
export class StateViewError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A read or subscription at a revision the view no longer (or does not yet) hold. */
export class RevisionUnavailableError extends StateViewError {
  constructor(
    readonly requested: number,
    readonly reason: 'too_old' | 'in_future',
    /** The oldest revision the view can serve from; `requested` must be at least this. */
    readonly oldestAvailable: number,
    /** The view's current revision. */
    readonly current: number,
  ) {
    super(
      reason === 'too_old'
        ? `revision ${requested} is older than the view's history (oldest available ${oldestAvailable})`
        : `revision ${requested} is ahead of the view (at ${current})`,
    );
  }
}

/** The view has not loaded its initial snapshot yet, or has been stopped. */
export class ViewNotReadyError extends StateViewError {}

/**
 * etcd did not serve a request the view had to make on a caller's behalf (a
 * subscription older than the history): it failed, or did not answer within
 * the view's `storeTimeoutMs`. The caller may retry once etcd is back.
 */
export class StoreUnavailableError extends StateViewError {}
