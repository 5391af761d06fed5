import type { IDuplexStream, IWatchRequest, IWatchResponse } from 'etcd3';

/**
 * Ends a watch stream this side no longer wants. The etcd client counts an
 * error on a stream that is still writable as a failure of the host: it resets
 * every connection to it and feeds its circuit breaker, so three streams
 * canceled at once would refuse every call for seconds. Closing the writable
 * side first makes the cancellation the client's own business.
 */
export function endWatchStream(stream: IDuplexStream<IWatchRequest, IWatchResponse>): void {
  stream.end();
  stream.cancel();
}
