import { join } from 'node:path';
import { build } from 'esbuild';
import { browserBundleOptions } from './dashboard-assets';

const ROOT = join(__dirname, '..', '..', '..');

// The dashboard may use pure helpers of the other libs, by their own paths: a package index
// pulls in every module behind it (domain's brings zod and its locales, some 450 kB).
const ALLOWED = [/^libs\/dashboard\/src\//, /^apps\/api\/src\/dashboard\.browser\.ts$/, /^libs\/domain\/src\/records\/current-deployment\.ts$/];

describe('the dashboard bundle', () => {
  it('takes in the dashboard and the domain rule it reads, and no other module or package', async () => {
    const result = await build({
      ...browserBundleOptions(),
      entryPoints: [join(__dirname, 'dashboard.browser.ts')],
      write: false,
      absWorkingDir: ROOT,
      metafile: true,
      tsconfig: join(__dirname, '..', 'tsconfig.json'),
      logLevel: 'silent',
    });
    // Paths relative to absWorkingDir, the repository.
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('libs/domain/src/records/current-deployment.ts');
    expect(inputs.filter((input) => !ALLOWED.some((allowed) => allowed.test(input)))).toEqual([]);
  });
});
