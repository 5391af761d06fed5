import { IngestMetrics } from '@ecs-state/ingestion';
import { createMetricsRegistry } from '@ecs-state/service-runtime';
import { ingestorCloudWatchMetrics } from './cloudwatch-metrics';

describe("the ingestor's CloudWatch metrics", () => {
  it('count the failed SQS calls and etcd writes, and the rejected messages, since the previous line', async () => {
    const registry = createMetricsRegistry('ingestor');
    const metrics = new IngestMetrics(registry);
    const [errors, rejected] = ingestorCloudWatchMetrics(registry);
    expect([errors?.name, rejected?.name]).toEqual(['IngestorErrors', 'IngestorMessagesRejected']);
    metrics.sqsErrors.inc({ operation: 'receive' }, 2);
    metrics.etcdErrors.inc();
    metrics.rejected.inc({ reason: 'not_json' });
    expect(await errors?.read()).toBe(3);
    expect(await rejected?.read()).toBe(1);
    metrics.etcdErrors.inc();
    expect(await errors?.read()).toBe(1);
    expect(await rejected?.read()).toBe(0);
  });
});
