/** Base class of every error this library raises on purpose. */
export class EtcdStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The requested revision is older than etcd's compaction point: its history
 * is gone, so a snapshot read or a watch from there is impossible. Callers
 * recover by starting over from a fresh snapshot.
 */
export class CompactedRevisionError extends EtcdStoreError {
  constructor(
    readonly requestedRevision: number,
    /** etcd's compact revision when it could be learned; the oldest revision still readable. */
    readonly compactRevision: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `revision ${requestedRevision} has been compacted` +
        (compactRevision === undefined ? '' : ` (compact revision ${compactRevision})`),
      options,
    );
  }
}

/** A continue token that this store did not issue, or issued for another prefix. */
export class InvalidContinueTokenError extends EtcdStoreError {
  constructor(reason: string) {
    super(`invalid continue token: ${reason}`);
  }
}

/** Concurrent writers kept winning the race on the same keys for every allowed attempt. */
export class WriteContentionError extends EtcdStoreError {
  constructor(readonly keys: readonly string[], attempts: number) {
    super(`gave up writing ${keys.length} key(s) after ${attempts} contended attempts (first: ${keys[0] ?? ''})`);
  }
}

/** A stored value the codec could not decode. */
export class RecordDecodeError extends EtcdStoreError {
  constructor(readonly key: string, cause: unknown) {
    super(`cannot decode the record stored at ${key}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** etcd canceled a watch for a reason other than compaction (e.g. permissions). */
export class WatchCanceledError extends EtcdStoreError {
  constructor(readonly prefix: string, reason: string) {
    super(`watch on ${prefix} was canceled by etcd: ${reason || 'no reason given'}`);
  }
}

/** Arguments that can never succeed (bad limit, bad revision). */
export class InvalidStoreArgumentError extends EtcdStoreError {}

/**
 * etcd refused a write because its database reached its space quota
 * (`--quota-backend-bytes`) and the NOSPACE alarm is raised. Reads still work;
 * writes stay refused until an operator compacts, defragments and disarms the alarm.
 */
export class EtcdNoSpaceError extends EtcdStoreError {
  constructor(options?: { cause?: unknown }) {
    super(
      'etcd is full (alarm NOSPACE): its database reached --quota-backend-bytes and it refuses every write until an operator compacts, defragments and disarms the alarm',
      options,
    );
  }
}
