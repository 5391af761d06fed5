/**
 * Where the ingestor's events come from (an SQS queue, a Kinesis stream): it
 * delivers them through the shared parse and write path and acknowledges them
 * only once their records are durable.
 */
export interface EventSource {
  start(): void;
  /** True once stop() was called. */
  readonly stopping: boolean;
  /** Stops taking new events and resolves once the work in flight is durable and acknowledged. */
  stop(): Promise<void>;
}
