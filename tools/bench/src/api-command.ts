import { existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
/** The api's Node.js flags as deploy/docker/api.Dockerfile starts it (see apps/api/README.md). */
const SHIPPED_NODE_ARGS = ['--max-semi-space-size=32'];

/**
 * Node.js flags for the api, plus BENCH_API_NODE_ARGS so that a profiler can watch it serve
 * (e.g. --cpu-prof, --trace-gc).
 */
function apiNodeArgs(): string[] {
  return [...SHIPPED_NODE_ARGS, ...(process.env['BENCH_API_NODE_ARGS'] ?? '').split(/\s+/).filter((a) => a !== '')];
}

/** The node arguments that start the api: the built bundle as it ships (`dist`), or the sources (`tsx`). */
export function apiCommand(source: string): string[] {
  if (source === 'tsx') return [...apiNodeArgs(), '--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')];
  if (source !== 'dist') throw new Error(`--api must be dist or tsx, not ${source}`);
  const bundle = join(ROOT, 'dist/apps/api/main.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npx nx build api\` first, or pass --api tsx`);
  return [...apiNodeArgs(), bundle];
}
