/** What a test does to a local server, the same on a single etcd, a member of a cluster and Redis. */
export interface ServerControls {
  /** Graceful stop (SIGTERM); resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would; the port and any data stay for start(). */
  kill(): Promise<void>;
  /** Stops (if running) and starts again on the same port, with the data where it keeps any. */
  restart(): Promise<void>;
  /** Starts again after stop() or kill(); resolves once it answers. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open and nothing answers, as with a hung server; resume() ends it. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  readonly running: boolean;
}
