import type { EventPublisher } from '../aws/event-publisher';
import type { FaultController } from './fault-controller';

/** An EventPublisher that can also release or discard the events it is holding back. */
export interface FaultyPublisher extends EventPublisher {
  /** Events currently held back by the delay fault. */
  readonly pending: number;
  /** Delivers every held event now, in the order their delays would have expired. */
  flush(): void;
  /** Discards held events; later publishes are ignored. */
  close(): void;
}

interface Held {
  body: string;
  dueAt: number;
  timer: NodeJS.Timeout;
}

/**
 * Wraps a publisher with the event-level faults (drop, duplicate, delay/reorder) as
 * EventBridge -> SQS delivery can exhibit them. The settings are read on every
 * publish, so changing them at runtime takes effect for the next event.
 */
export function createFaultyPublisher(inner: EventPublisher, faults: FaultController): FaultyPublisher {
  const held = new Set<Held>();
  let closed = false;

  const deliver = (body: string): void => {
    const { maxDelayMs } = faults.eventFaults;
    if (maxDelayMs <= 0) {
      inner.publish(body);
      return;
    }
    const delay = faults.eventRandom() * maxDelayMs;
    const entry: Held = {
      body,
      dueAt: performance.now() + delay,
      timer: setTimeout(() => {
        held.delete(entry);
        inner.publish(body);
      }, delay),
    };
    held.add(entry);
  };

  return {
    get pending() {
      return held.size;
    },
    publish(body: string): void {
      if (closed) return;
      const { dropRate, duplicateRate } = faults.eventFaults;
      if (dropRate > 0 && faults.eventRandom() < dropRate) return;
      deliver(body);
      if (duplicateRate > 0 && faults.eventRandom() < duplicateRate) deliver(body);
    },
    flush(): void {
      const entries = [...held].sort((a, b) => a.dueAt - b.dueAt);
      held.clear();
      for (const entry of entries) {
        clearTimeout(entry.timer);
        inner.publish(entry.body);
      }
    },
    close(): void {
      closed = true;
      for (const entry of held) clearTimeout(entry.timer);
      held.clear();
    },
  };
}
