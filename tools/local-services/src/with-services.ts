/**
 * Runs a command with a fresh etcd and Redis on free loopback ports, exported to
 * it as TEST_ETCD_ENDPOINTS / TEST_REDIS_URL, and stops both afterwards.
 *
 *   tsx tools/local-services/src/with-services.ts -- <command> [args...]
 */
import { spawn } from 'node:child_process';
import { startEtcd } from './etcd';
import { startRedis } from './redis';
import { TEST_ENV } from './test-env';

async function main(): Promise<number> {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  const [program, ...args] = command;
  if (!program) {
    console.error('usage: with-services.ts -- <command> [args...]');
    return 2;
  }
  const [etcd, redis] = await Promise.all([startEtcd(), startRedis()]);
  console.log(`etcd ${etcd.endpoint} and Redis ${redis.url} started for this run`);
  try {
    const child = spawn(program, args, {
      stdio: 'inherit',
      env: {
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...process.env,
        [TEST_ENV.etcdEndpoints]: etcd.endpoint,
        [TEST_ENV.redisUrl]: redis.url,
      },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      child.on('error', (err) => {
        console.error(`could not run ${program}: ${err.message}`);
        resolve(127);
      });
    });
  } finally {
    await Promise.all([etcd.stop(), redis.stop()]);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
