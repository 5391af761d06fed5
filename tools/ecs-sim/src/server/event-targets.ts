import type { EventPublisher } from '../aws/event-publisher';

/**
 * One publisher that delivers each event to every target, as an EventBridge rule
 * with several targets does (the event queue, the event stream, or both).
 */
export function fanOut(targets: readonly EventPublisher[]): EventPublisher {
  if (targets.length === 1) return targets[0] as EventPublisher;
  return {
    publish(body: string): void {
      for (const target of targets) target.publish(body);
    },
  };
}
