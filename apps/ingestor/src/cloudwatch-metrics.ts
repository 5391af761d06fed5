import { counterIncrease, type EmfMetric } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';

/** What the ingestor publishes to CloudWatch (CLOUDWATCH_METRICS_NAMESPACE) for the template's alarms. */
export function ingestorCloudWatchMetrics(registry: Registry): EmfMetric[] {
  return [
    // Failed SQS calls and failed etcd batch writes: messages wait in the queue meanwhile.
    { name: 'IngestorErrors', unit: 'Count', read: counterIncrease(registry, ['ingestor_sqs_errors_total', 'ingestor_etcd_errors_total']) },
    { name: 'IngestorMessagesRejected', unit: 'Count', read: counterIncrease(registry, ['ingestor_messages_rejected_total']) },
  ];
}
