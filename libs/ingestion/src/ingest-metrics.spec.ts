import { Registry } from 'prom-client';
import { IngestMetrics } from './ingest-metrics';

async function conflicts(registry: Registry): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('ingestor_etcd_write_conflicts_total')?.get();
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
    expect(await registry.metrics()).toContain('ingestor_etcd_write_conflicts_total 10');
  });

  it('reports no conflicts without a store to read', async () => {
    const registry = new Registry();
    new IngestMetrics(registry);
    expect(await conflicts(registry)).toBe(0);
  });
});
