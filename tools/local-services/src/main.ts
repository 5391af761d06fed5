/**
 * Starts etcd and Redis on free loopback ports and keeps them running until
 * Ctrl-C, for working on one service by hand.
 */
import { startEtcd } from './etcd';
import { startRedis } from './redis';

async function main(): Promise<void> {
  const [etcd, redis] = await Promise.all([startEtcd(), startRedis()]);
  console.log(`ETCD_ENDPOINTS=${etcd.endpoint}`);
  console.log(`REDIS_URL=${redis.url}`);
  console.log('Ctrl-C stops both.');
  const stop = () => {
    void Promise.all([etcd.stop(), redis.stop()]).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
