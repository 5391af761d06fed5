// Bundles one project into dist/<project root>/ with esbuild. Workspace libraries
// are inlined (resolved through tsconfig paths); npm dependencies stay external
// and are installed in the runtime image from package.json.
import { build } from 'esbuild';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) {
  console.error('usage: node tools/workspace/build.mjs <project root>');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
const entry = ['src/main.ts', 'src/index.ts'].map((f) => join(root, f)).find((f) => existsSync(f));
if (!entry) {
  console.error(`${root} has neither src/main.ts nor src/index.ts`);
  process.exit(2);
}
const outfile = join('dist', root, entry.endsWith('main.ts') ? 'main.js' : 'index.js');
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
console.log(`built ${outfile}`);
