import type { Etcd3 } from 'etcd3';

/** Resolves when an etcd member answers a status request (readiness checks); rejects otherwise. */
export async function etcdReachable(client: Etcd3): Promise<true> {
  await client.maintenance.status();
  return true;
}
