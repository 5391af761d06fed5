import { randomUUID } from 'node:crypto';
import type { KeyPrefix, StateRecord } from '@ecs-state/domain';
import { parseKeyPrefix } from '@ecs-state/domain';
import { stateRecordCodec, VersionedRecordStore } from '@ecs-state/etcd-store';
import { testEtcdEndpoints } from '@ecs-state/local-services';
import { Etcd3 } from 'etcd3';

/** A key prefix no other test uses, so that test files can share one etcd. */
export function uniquePrefix(owner: string, name: string): KeyPrefix {
  const parsed = parseKeyPrefix(`/test-${owner}/${name}/${randomUUID()}`);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

/** A client of the run's shared etcd (TEST_ETCD_ENDPOINTS). */
export function newClient(): Etcd3 {
  return new Etcd3({ hosts: testEtcdEndpoints().split(','), dialTimeout: 3000 });
}

export function writer(client: Etcd3, prefix: KeyPrefix): VersionedRecordStore<StateRecord> {
  return new VersionedRecordStore({ client, codec: stateRecordCodec(prefix) });
}
