/**
 * Counts the etcd calls the store makes, so that the cost of an operation is
 * observable (metrics, and tests asserting that a batch costs a constant
 * number of round trips).
 */
export class RoundTripCounter {
  txn = 0;
  range = 0;

  snapshot(): RoundTripStats {
    return { txn: this.txn, range: this.range };
  }
}

export interface RoundTripStats {
  readonly txn: number;
  readonly range: number;
}
