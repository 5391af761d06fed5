/**
 * Where the simulated ECS drops its state-change events. The SQS engine hands one
 * out per queue (`SqsEngine.publisherFor(queueNameOrUrl)`), and the event-level
 * fault layer wraps one to drop, duplicate or delay events before they reach the
 * queue; the server connects them, so ECS and SQS need not know each other.
 * `publish` never throws for a queue that existed when the publisher was obtained;
 * delivery is fire-and-forget, like EventBridge -> SQS.
 */
export interface EventPublisher {
  publish(body: string): void;
}

/** Resolves a queue by name or URL to a publisher; throws `QueueDoesNotExist` otherwise. */
export interface EventPublisherFactory {
  publisherFor(queueNameOrUrl: string): EventPublisher;
}
