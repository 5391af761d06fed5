/**
 * A dependency (etcd, Redis, …) could not serve a call: down, unreachable or too
 * slow. Not a failure of the caller's request nor of this process, so an HTTP
 * surface answers 503 naming `dependency`, and a worker retries later. Defined
 * here, below every library that raises or answers it, so that recognising one
 * loads none of the clients that raise it.
 */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DependencyUnavailableError';
  }
}
