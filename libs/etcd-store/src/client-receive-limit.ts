import type { Etcd3 } from 'etcd3';

/** gRPC's default receive limit, which a client keeps unless it was created with another. */
export const GRPC_DEFAULT_RECEIVE_BYTES = 4 * 1024 ** 2;

const limits = new WeakMap<Etcd3, number>();

/**
 * Notes the receive limit `client` was created with. A store is handed a
 * client, not its options, and sizes its pages by this limit: a page larger
 * than the client accepts fails, and the etcd3 client then retries it and
 * opens its circuit breaker.
 */
export function registerReceiveLimit(client: Etcd3, bytes: number): void {
  limits.set(client, bytes);
}

/** The largest response `client` accepts: what createEtcdClient gave it, else gRPC's default. */
export function receiveLimitOf(client: Etcd3): number {
  return limits.get(client) ?? GRPC_DEFAULT_RECEIVE_BYTES;
}
