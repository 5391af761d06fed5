/**
 * Runs a command once etcd and Redis are installed (with apt-get when missing and
 * allowed), so that the parallel test runs that follow never race to install them.
 * Each jest run then starts its own servers (jest-global-setup.ts): test suites of
 * different projects run at the same time, and some assert on etcd's revision,
 * which a shared server would let other suites move.
 *
 *   node --import tsx tools/local-services/src/with-installed-services.ts -- <command> [args...]
 */
import { spawn } from 'node:child_process';
import { ensureBinaries, ETCD, REDIS } from './ensure-binaries';

async function main(): Promise<number> {
  const sep = process.argv.indexOf('--');
  const command = sep >= 0 ? process.argv.slice(sep + 1) : [];
  const [program, ...args] = command;
  if (!program) {
    console.error('usage: with-installed-services.ts -- <command> [args...]');
    return 2;
  }
  const paths = ensureBinaries([ETCD, REDIS]);
  console.log(`using ${Object.values(paths).join(' and ')}`);
  const child = spawn(program, args, {
    stdio: 'inherit',
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise<number>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', (err) => {
      console.error(`could not run ${program}: ${err.message}`);
      resolve(127);
    });
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
