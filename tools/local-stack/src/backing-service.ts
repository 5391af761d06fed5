/**
 * Runs a local etcd or Redis (tools/local-services: installed when missing, free
 * loopback port, temporary data) as one service of the stack:
 *
 *   node --import tsx tools/local-stack/src/backing-service.ts etcd|redis
 *
 * Prints `ready <url>` once it answers and stops it on SIGTERM/SIGINT.
 */
import { startEtcd, startRedis } from '@ecs-state/local-services';

async function main(): Promise<void> {
  const kind = process.argv[2];
  if (kind !== 'etcd' && kind !== 'redis') {
    console.error('usage: backing-service.ts etcd|redis');
    process.exit(2);
  }
  const server = kind === 'etcd' ? await startEtcd() : await startRedis();
  const url = 'endpoint' in server ? server.endpoint : server.url;
  console.log(`ready ${url}`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`${kind} did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
