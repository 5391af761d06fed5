import { startEtcd } from './etcd';
import { startRedis } from './redis';
import { TEST_ENV } from './test-env';
import type { EtcdServer } from './etcd';
import type { RedisServer } from './redis';

interface Started {
  etcd?: EtcdServer;
  redis?: RedisServer;
}

declare global {
  var __ecsStateServices: Started | undefined;
}

/**
 * Starts etcd and Redis for one jest run (one project), unless the caller exported
 * servers to use. Each project gets its own: projects' suites run at the same time,
 * and some assert that nothing moved etcd's revision.
 */
export default async function globalSetup(): Promise<void> {
  // The SDK's notice about future Node versions would repeat in every test worker's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started: Started = {};
  if (!process.env[TEST_ENV.etcdEndpoints]) {
    started.etcd = await startEtcd();
    process.env[TEST_ENV.etcdEndpoints] = started.etcd.endpoint;
  }
  if (!process.env[TEST_ENV.redisUrl]) {
    started.redis = await startRedis();
    process.env[TEST_ENV.redisUrl] = started.redis.url;
  }
  globalThis.__ecsStateServices = started;
}
