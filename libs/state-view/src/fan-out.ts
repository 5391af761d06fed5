import type { StateRecord } from '@ecs-state/domain';
import type { ChangeListener, EndListener, SubscriptionEndReason, ViewSubscription } from './subscription';
import type { ViewChange } from './view-entry';
import { errorMessage, type ViewLogger } from './view-logger';

interface Subscriber<S> {
  readonly listener: ChangeListener<S>;
  readonly onEnd: EndListener;
}

/**
 * Hands every applied batch of changes to every subscriber of the shared
 * watch. A subscriber that throws is logged and keeps its place: one failing
 * reader must not starve the others.
 */
export class FanOut<S = StateRecord> {
  private readonly subscribers = new Set<Subscriber<S>>();

  constructor(private readonly logger: ViewLogger) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a subscriber, then hands it `backlog` (changes it missed) before returning. */
  add(listener: ChangeListener<S>, onEnd: EndListener, backlog: readonly ViewChange<S>[]): ViewSubscription {
    const subscriber: Subscriber<S> = { listener, onEnd };
    this.subscribers.add(subscriber);
    if (backlog.length > 0) listener(backlog);
    return { close: () => void this.subscribers.delete(subscriber) };
  }

  publish(changes: readonly ViewChange<S>[]): void {
    if (changes.length === 0) return;
    for (const subscriber of [...this.subscribers]) {
      try {
        subscriber.listener(changes);
      } catch (error) {
        this.logger.error('state view subscriber failed', { error: errorMessage(error) });
      }
    }
  }

  /** Ends and forgets every subscriber. */
  endAll(reason: SubscriptionEndReason): void {
    const all = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of all) {
      try {
        subscriber.onEnd(reason);
      } catch (error) {
        this.logger.error('state view subscriber failed to end', { error: errorMessage(error) });
      }
    }
  }
}
