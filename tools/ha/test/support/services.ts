import { IngestorProcess, ServiceProcess } from '@ecs-state/test-services';

/** Timeouts short enough that a dead member is given up on within a test's patience. */
const ETCD_ENV = { ETCD_DIAL_TIMEOUT_MS: '2000', ETCD_REQUEST_TIMEOUT_MS: '3000' };
const AWS = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };

export interface Deployment {
  /** Every member's client URL: what ETCD_ENDPOINTS lists. */
  readonly etcdEndpoints: readonly string[];
  readonly etcdPrefix: string;
  readonly simulatorEndpoint: string;
}

export async function startIngestor(d: Deployment, queueName: string): Promise<IngestorProcess> {
  const ingestor = new IngestorProcess({
    simulatorEndpoint: d.simulatorEndpoint,
    etcdEndpoints: d.etcdEndpoints.join(','),
    etcdPrefix: d.etcdPrefix,
    queueName,
    env: { ...ETCD_ENV, LOG_LEVEL: 'info' },
  });
  await ingestor.start();
  return ingestor;
}

/** The real api; `url` is where it listens. */
export async function startApi(d: Deployment, env: Record<string, string> = {}): Promise<{ process: ServiceProcess; url: string }> {
  const process = new ServiceProcess({
    main: 'apps/api/src/main.ts',
    readyMessage: 'api listening',
    env: { ETCD_ENDPOINTS: d.etcdEndpoints.join(','), ETCD_PREFIX: d.etcdPrefix, PORT: '0', HOST: '127.0.0.1', ...ETCD_ENV, ...env },
  });
  const ready = await process.start();
  return { process, url: String(ready['url']) };
}

export async function startReconciler(d: Deployment, redisUrl: string, queuePrefix: string): Promise<ServiceProcess> {
  const reconciler = new ServiceProcess({
    main: 'apps/reconciler/src/main.ts',
    readyMessage: 'reconciler started',
    env: {
      ...AWS,
      ...ETCD_ENV,
      AWS_ENDPOINT_URL_ECS: d.simulatorEndpoint,
      ETCD_ENDPOINTS: d.etcdEndpoints.join(','),
      ETCD_PREFIX: d.etcdPrefix,
      REDIS_URL: redisUrl,
      RECONCILE_QUEUE_PREFIX: queuePrefix,
      RECONCILE_INTERVAL: 'off',
      RECONCILE_CONCURRENCY: '1',
      METRICS_PORT: '0',
    },
  });
  await reconciler.start();
  return reconciler;
}
