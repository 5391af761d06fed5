/**
 * The ECS API could not be reached or did not answer in time, after every attempt the
 * client makes. It says nothing about the clusters: a reconcile that meets it changes
 * nothing in the store, and its drift report says the ECS API was unreachable, not
 * that a cluster is gone.
 */
export class EcsUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EcsUnavailableError';
  }
}

/** Node socket errors of an endpoint that refuses, resets or cannot be routed to. */
const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ECONNABORTED|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/;

/**
 * The error an ECS call failed with, as the reconcile reports it: EcsUnavailableError
 * when the failure was the connection (refused, reset, timed out) rather than an
 * answer of ECS, the error itself otherwise (an ECS error response, an abort).
 */
export function classifyEcsFailure(error: unknown, operation: string): unknown {
  // Socket errors come from Node's own realm: read their fields rather than trust instanceof.
  if (typeof error !== 'object' || error === null || error instanceof EcsUnavailableError) return error;
  const { name, code, message, $metadata } = error as SdkFailure;
  const attempts = typeof $metadata?.attempts === 'number' && $metadata.attempts > 1 ? ` after ${$metadata.attempts} attempts` : '';
  if (name === 'TimeoutError') {
    return new EcsUnavailableError(`ECS API timed out: ${operation} got no answer${attempts} (${String(message)})`, { cause: error });
  }
  if (typeof code === 'string' && NETWORK_CODES.test(code)) {
    return new EcsUnavailableError(`ECS API unreachable: ${operation} failed${attempts} (${String(message)})`, { cause: error });
  }
  return error;
}

interface SdkFailure {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { attempts?: unknown };
}
