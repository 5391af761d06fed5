import { ECSClient } from '@aws-sdk/client-ecs';
import type { RequestBudget } from './request-budget';
import type { EcsCredentials } from './target-credentials';

/**
 * The SDK's own default waits for a silent endpoint for 15 minutes per attempt (its
 * socket idle timeout), so a stalled ECS endpoint would hold a reconcile for hours.
 */
export const DEFAULT_ECS_REQUEST_TIMEOUT_MS = 10_000;

export interface EcsClientOptions {
  region: string;
  /** e.g. the simulator's address; the SDK's default endpoint when absent. */
  endpoint?: string;
  /** Attempts per request, including the first; the SDK's adaptive mode spaces retries of throttled calls. */
  maxAttempts: number;
  /**
   * Longest wait of one attempt: for the response's headers from the start of the
   * attempt (connecting included), then again for each silence while its body arrives.
   * An attempt that runs out fails with a TimeoutError, which the SDK retries.
   * Default DEFAULT_ECS_REQUEST_TIMEOUT_MS.
   */
  requestTimeoutMs?: number;
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
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_ECS_REQUEST_TIMEOUT_MS;
  const client = new ECSClient({
    region: options.region,
    maxAttempts: options.maxAttempts,
    retryMode: 'adaptive',
    // Without throwOnRequestTimeout the handler only logs a warning when requestTimeout passes.
    requestHandler: { requestTimeout: timeoutMs, throwOnRequestTimeout: true, socketTimeout: timeoutMs },
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
