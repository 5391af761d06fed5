import type { StateRecord } from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';

export interface CeilingResult {
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
}

/**
 * The ceiling: the same records written straight into the store, `batch` per
 * upsert-if-newer and `inFlight` upserts at a time. No SQS, no parsing: what
 * etcd and the store's write path allow on this machine.
 */
export async function runCeiling(store: ClusterStateStore, records: readonly StateRecord[], batch: number, inFlight: number): Promise<CeilingResult> {
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const start = next;
      next += batch;
      await store.upsert(records.slice(start, start + batch));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { records: records.length, seconds, perSecond: records.length / seconds };
}
