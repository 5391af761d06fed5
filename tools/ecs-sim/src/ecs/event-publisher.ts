/**
 * Structurally the same as the SQS side's `EventPublisher`: the simulated ECS
 * only needs somewhere to drop serialized events.
 */
export interface EcsEventSink {
  publish(body: string): void;
}
