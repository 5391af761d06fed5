import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DashboardAssets } from '@ecs-state/rest-api';
import type { BuildOptions } from 'esbuild';

/** Where tools/workspace/build.mjs puts the bundle of src/dashboard.browser.ts: beside main.js. */
const BUILT_SCRIPT = join(__dirname, 'public', 'dashboard.js');
const SOURCE_ENTRY = join(__dirname, 'dashboard.browser.ts');

/**
 * The options tools/workspace/build.mjs bundles browser entry points with, read from its
 * file: only when the api runs from source, where the workspace is there.
 */
export function browserBundleOptions(): BuildOptions {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'tools', 'workspace', 'browser-bundle.json'), 'utf8')) as BuildOptions;
}

/**
 * The dashboard's script: the built one in the image, or, when the api runs from
 * source (`node --import tsx`), bundled now with esbuild, a dev dependency the
 * workspace has. Undefined when neither is there.
 */
export async function loadDashboardAssets(): Promise<DashboardAssets | undefined> {
  if (existsSync(BUILT_SCRIPT)) return { script: readFileSync(BUILT_SCRIPT) };
  if (!existsSync(SOURCE_ENTRY)) return undefined;
  const { build } = await import('esbuild');
  const result = await build({ ...browserBundleOptions(), entryPoints: [SOURCE_ENTRY], write: false, tsconfig: join(__dirname, '..', 'tsconfig.json'), logLevel: 'silent' });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error('esbuild produced no dashboard bundle');
  return { script: Buffer.from(output.contents) };
}
