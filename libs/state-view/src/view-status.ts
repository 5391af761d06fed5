export interface ViewStatus {
  readonly started: boolean;
  readonly revision: number;
  readonly tasks: number;
  readonly instances: number;
  readonly services: number;
  readonly historySize: number;
  /** Streams and listings can start after any revision at or above this one. */
  readonly historyCompleteAfter: number;
  readonly subscribers: number;
  readonly etcdReachable: boolean;
  /** Upper bound of how far behind etcd the view may be, in ms (see README). */
  readonly stalenessMs: number;
  /** Started, etcd reachable, and staleness within the bound. */
  readonly inSync: boolean;
  readonly resyncs: number;
  /** When the view last applied a watch event (ms since the epoch); its last load before the first; undefined before it loads. */
  readonly lastEventAt: number | undefined;
}
