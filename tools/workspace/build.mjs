// Bundles one project into dist/<project root>/ with esbuild. Workspace libraries
// are inlined (resolved through tsconfig paths); npm dependencies stay external
// and are installed in the runtime image from package.json. Browser entry points
// (src/*.browser.ts) become self-contained scripts in dist/<project root>/public/.
import { build } from 'esbuild';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// The api bundles its dashboard with the same options when it runs from source (apps/api/src/dashboard-assets.ts).
const browserBundle = JSON.parse(readFileSync(new URL('./browser-bundle.json', import.meta.url), 'utf8'));

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
// Worker threads need entry points of their own: every src/*.worker.ts is bundled beside main.js.
const workers = readdirSync(join(root, 'src'))
  .filter((f) => f.endsWith('.worker.ts'))
  .map((f) => join(root, 'src', f));
const outdir = join('dist', root);
await build({
  entryPoints: [entry, ...workers],
  outdir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external,
  tsconfig: join(root, 'tsconfig.json'),
  logLevel: 'warning',
});
// Browser entry points (src/*.browser.ts) are bundled for browsers into public/ beside main.js:
// dependencies inlined, one minified script each, named without `.browser`.
const browserEntries = readdirSync(join(root, 'src'))
  .filter((f) => f.endsWith('.browser.ts'))
  .map((f) => ({ in: join(root, 'src', f), out: f.replace(/\.browser\.ts$/, '') }));
if (browserEntries.length > 0) {
  await build({
    entryPoints: browserEntries,
    outdir: join(outdir, 'public'),
    ...browserBundle,
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  console.log(`built ${browserEntries.map((e) => join(outdir, 'public', `${e.out}.js`)).join(', ')}`);
}
console.log(`built ${[entry, ...workers].map((f) => join(outdir, f.replace(/^.*\//, '').replace(/\.ts$/, '.js'))).join(', ')}`);
