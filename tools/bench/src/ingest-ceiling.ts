import type { StateRecord } from '@ecs-state/domain';
import type { ClusterStateStore } from '@ecs-state/etcd-store';
import { sustainedRate, type Progress } from './shared/sustained-rate';

export interface CeilingResult {
  readonly records: number;
  readonly seconds: number;
  readonly perSecond: number;
  /** Between 10 % and 90 % of the records written: see sustainedRate. */
  readonly sustainedPerSecond: number;
}

/**
 * The ceiling: the same records written straight into the store, `batch` per
 * upsert-if-newer and `inFlight` upserts at a time. No SQS, no parsing: what
 * etcd and the store's write path allow on this machine.
 */
export async function runCeiling(store: ClusterStateStore, records: readonly StateRecord[], batch: number, inFlight: number): Promise<CeilingResult> {
  let next = 0;
  let done = 0;
  const progress: Progress[] = [{ seconds: 0, done: 0 }];
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < records.length) {
      const start = next;
      next += batch;
      const slice = records.slice(start, start + batch);
      await store.upsert(slice);
      done += slice.length;
      progress.push({ seconds: (performance.now() - started) / 1000, done });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const perSecond = records.length / seconds;
  return { records: records.length, seconds, perSecond, sustainedPerSecond: sustainedRate(progress, records.length) ?? perSecond };
}
