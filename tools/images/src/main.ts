/**
 * Builds the local base image (cached) and every service image with podman, and reports
 * their sizes.
 *
 *   npx tsx tools/images/src/main.ts build
 */
import { buildAll } from './build-all';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(command: string | undefined): Promise<number> {
  if (command !== 'build') {
    process.stderr.write('usage: tsx tools/images/src/main.ts build\n');
    return 2;
  }
  await buildAll(log);
  return 0;
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
