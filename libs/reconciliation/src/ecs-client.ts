import { ECSClient } from '@aws-sdk/client-ecs';
import type { RequestBudget } from './request-budget';
import type { EcsCredentials } from './target-credentials';

export interface EcsClientOptions {
  region: string;
  /** e.g. the simulator's address; the SDK's default endpoint when absent. */
  endpoint?: string;
  /** Attempts per request, including the first; the SDK's adaptive mode spaces retries of throttled calls. */
  maxAttempts: number;
  /** Every attempt (first tries and retries) waits for a token. */
  budget: RequestBudget;
  /** Static credentials or a provider (a target's role or profile); the default provider chain otherwise. */
  credentials?: EcsCredentials;
}

/**
 * One target's ECS client. The budget middleware sits in the deserialize step,
 * inside the retry loop, so retries spend the same budget as first attempts.
 */
export function createEcsClient(options: EcsClientOptions): ECSClient {
  const client = new ECSClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    retryMode: 'adaptive',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      await options.budget.take();
      return next(args);
    },
    { step: 'deserialize', name: 'ecsStateRequestBudget', priority: 'high' },
  );
  return client;
}
