import type { ECSClient } from '@aws-sdk/client-ecs';
import { ECS_OPERATIONS, zeroCalls, type CallCounts, type EcsOperation } from './reconcile-minimum';

/**
 * Counts every HTTP request the client sends, by operation. The deserialize step
 * runs inside the SDK's retry loop, so a retried call counts once per attempt, as
 * ECS would bill and throttle it.
 */
export class EcsCallCounter {
  private counts: CallCounts = zeroCalls();
  readonly other = new Map<string, number>();

  constructor(client: ECSClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        this.record(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
        return next(args);
      },
      { step: 'deserialize', name: 'benchEcsCallCounter', priority: 'low' },
    );
  }

  private record(operation: string): void {
    if ((ECS_OPERATIONS as readonly string[]).includes(operation)) this.counts[operation as EcsOperation] += 1;
    else this.other.set(operation, (this.other.get(operation) ?? 0) + 1);
  }

  /** Counts since the previous take(). */
  take(): CallCounts {
    const taken = this.counts;
    this.counts = zeroCalls();
    return taken;
  }
}
