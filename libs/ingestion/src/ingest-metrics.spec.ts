import { RECORD_KINDS, REJECT_REASONS } from '@ecs-state/domain';
import { Registry } from 'prom-client';
import { INGEST_METRICS, IngestMetrics, SQS_OPERATIONS } from './ingest-metrics';

async function conflicts(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(INGEST_METRICS.etcdConflicts)?.get();
  return metric?.values[0]?.value;
}

describe('IngestMetrics', () => {
  it("counts the store's lost compares as they stand at each scrape", async () => {
    const registry = new Registry();
    let lost = 0;
    new IngestMetrics(registry, () => lost);

    expect(await conflicts(registry)).toBe(0);
    lost = 3;
    expect(await conflicts(registry)).toBe(3);
    expect(await conflicts(registry)).toBe(3);
    lost = 10;
    expect(await conflicts(registry)).toBe(10);
    expect(await registry.metrics()).toContain(`${INGEST_METRICS.etcdConflicts} 10`);
  });

  it('reports no conflicts without a store to read', async () => {
    const registry = new Registry();
    new IngestMetrics(registry);
    expect(await conflicts(registry)).toBe(0);
  });

  it('exports every reject reason, record kind and SQS operation at 0 before the first message', async () => {
    const registry = new Registry();
    new IngestMetrics(registry);
    const labelValues = async (name: string, label: string) =>
      ((await registry.getSingleMetric(name)?.get())?.values ?? []).filter((v) => v.value === 0).map((v) => v.labels[label]);
    expect(await labelValues(INGEST_METRICS.rejected, 'reason')).toEqual([...REJECT_REASONS]);
    expect(await labelValues(INGEST_METRICS.applied, 'kind')).toEqual([...RECORD_KINDS]);
    expect(await labelValues(INGEST_METRICS.stale, 'kind')).toEqual([...RECORD_KINDS]);
    expect(await labelValues(INGEST_METRICS.sqsErrors, 'operation')).toEqual([...SQS_OPERATIONS]);
  });
});
