import type { StateRecord } from '@ecs-state/domain';
import type { WriteOutcome } from './metered-writer';
import type { IngestMetrics } from './ingest-metrics';
import type { ToWrite } from './event-parsing';
import type { WriteBatcher } from './write-batcher';

/**
 * Writes parsed records through the shared batcher (newer wins) and counts what
 * each write did; resolves once every record is durable, rejects if any batch failed.
 */
export async function writeRecords<Item>(
  batcher: WriteBatcher<StateRecord, WriteOutcome>,
  toWrite: readonly ToWrite<Item>[],
  metrics: IngestMetrics,
  now: () => number,
): Promise<void> {
  if (toWrite.length === 0) return;
  const outcomes = await batcher.submit(toWrite.map((w) => w.record));
  const at = now();
  outcomes.forEach((o, i) => {
    const w = toWrite[i] as ToWrite<Item>;
    if (o.status === 'applied') {
      metrics.applied.inc({ kind: w.record.kind });
      const lag = (at - Date.parse(w.eventTime)) / 1000;
      if (Number.isFinite(lag)) metrics.eventLag.observe(Math.max(0, lag));
    } else {
      metrics.stale.inc({ kind: w.record.kind });
    }
  });
}
