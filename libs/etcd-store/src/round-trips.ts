/**
 * Counts the etcd calls the store makes, so that the cost of an operation is
 * observable (metrics, and tests asserting that a batch costs a constant
 * number of round trips).
 */
export class RoundTripCounter {
  txn = 0;
  range = 0;
  conflicts = 0;
  txnsInFlight = 0;
  peakTxnsInFlight = 0;

  snapshot(): RoundTripStats {
    return { txn: this.txn, range: this.range, conflicts: this.conflicts, peakTxnsInFlight: this.peakTxnsInFlight };
  }
}

export interface RoundTripStats {
  readonly txn: number;
  readonly range: number;
  /** Conditional writes that lost a compare to another writer (and were retried). */
  readonly conflicts: number;
  /** The most Txn calls this store had waiting for etcd at once. */
  readonly peakTxnsInFlight: number;
}
