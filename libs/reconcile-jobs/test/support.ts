import { randomUUID } from 'node:crypto';
import { createLogger } from '@ecs-state/service-runtime';
import { emptyCounts, type ClusterDriftReport } from '@ecs-state/domain';

export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}`;
}

export function redisUrl(): string {
  const url = process.env['TEST_REDIS_URL'];
  if (!url) throw new Error('TEST_REDIS_URL is not set (jest globalSetup)');
  return url;
}

export const quietLogger = createLogger('reconcile-jobs-test', 'error');

export function okReport(cluster: string): ClusterDriftReport {
  return { cluster, outcome: 'reconciled', tasks: { ...emptyCounts(), added: 1 }, instances: emptyCounts(), ecsCalls: 3, durationMs: 1, errors: [] };
}
