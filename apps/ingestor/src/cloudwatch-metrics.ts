import { ETCD_STATUS_METRICS } from '@ecs-state/etcd-store';
import { INGEST_METRICS } from '@ecs-state/ingestion';
import { counterIncrease, gaugeMax, type EmfMetric, type Reading } from '@ecs-state/service-runtime';
import type { Registry } from 'prom-client';

/**
 * What the ingestor publishes to CloudWatch (CLOUDWATCH_METRICS_NAMESPACE) for the template's alarms.
 *
 * The etcd readings come from the ingestor alone: every service reads the same etcd status,
 * and the ingestor always runs (at least one task) and is the service a full etcd stops, so
 * one source gives each alarm one series instead of three copies of it.
 */
export function ingestorCloudWatchMetrics(registry: Registry): EmfMetric[] {
  const statusAge = gaugeMax(registry, ETCD_STATUS_METRICS.statusAgeSeconds);
  const alarm = gaugeMax(registry, ETCD_STATUS_METRICS.alarm);
  const dbSize = gaugeMax(registry, ETCD_STATUS_METRICS.dbSizeBytes);
  const quota = gaugeMax(registry, ETCD_STATUS_METRICS.quotaBytes);
  // Before the first status read the gauges hold no reading of etcd (age -1): nothing rather than a made-up 0.
  const onceStatusRead =
    (read: Reading): Reading =>
    async () => {
      const age = await statusAge();
      return age === undefined || age < 0 ? undefined : read();
    };
  return [
    // Failed SQS calls and failed etcd batch writes: messages wait in the queue meanwhile.
    { name: 'IngestorErrors', unit: 'Count', read: counterIncrease(registry, [INGEST_METRICS.sqsErrors, INGEST_METRICS.etcdErrors]) },
    { name: 'IngestorMessagesRejected', unit: 'Count', read: counterIncrease(registry, [INGEST_METRICS.rejected]) },
    // 1 while any etcd alarm (NOSPACE, CORRUPT) is raised: etcd refuses writes.
    { name: 'EtcdAlarmActive', unit: 'None', read: onceStatusRead(alarm) },
    // The quota counts the database file, free pages included: size, not size in use.
    {
      name: 'EtcdDbSizeRatio',
      unit: 'None',
      read: onceStatusRead(async () => {
        const [size, limit] = [await dbSize(), await quota()];
        return size === undefined || limit === undefined || limit <= 0 ? undefined : size / limit;
      }),
    },
    // Grows while the ingestor cannot read etcd's status, i.e. cannot reach etcd.
    { name: 'EtcdStatusAgeSeconds', unit: 'Seconds', read: onceStatusRead(statusAge) },
  ];
}
