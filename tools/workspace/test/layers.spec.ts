import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/tracked-files';

const BOUNDARY_RULE = '@nx/enforce-module-boundaries';

function layerOf(lib: string): number[] {
  const project = JSON.parse(readFileSync(path.join(REPO_ROOT, 'libs', lib, 'project.json'), 'utf8')) as { tags?: string[] };
  return (project.tags ?? []).flatMap((tag) => (/^layer:(\d)$/.exec(tag) ? [Number(tag.slice('layer:'.length))] : []));
}

/**
 * The boundary errors ESLint reports for one import written in a (never created) file of `lib`.
 * The ESLint binary rather than its API: the flat config is an ES module, which Jest cannot import.
 */
function boundaryErrors(lib: string, importedLib: string, where = 'src/layer-probe.ts'): string[] {
  const code = `import * as probe from '@ecs-state/${importedLib}';\nexport const used = probe;\n`;
  const eslint = path.join(REPO_ROOT, 'node_modules/.bin/eslint');
  const run = spawnSync(eslint, ['--stdin', '--stdin-filename', `libs/${lib}/${where}`, '--format', 'json'], { cwd: REPO_ROOT, input: code, encoding: 'utf8' });
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return (result?.messages ?? []).filter((message) => message.ruleId === BOUNDARY_RULE).map((message) => message.message);
}

describe('the libraries’ layers', () => {
  const libs = readdirSync(path.join(REPO_ROOT, 'libs'));

  it('give every library exactly one layer, 1 to 4', () => {
    expect(libs.map((lib) => [lib, layerOf(lib).length === 1 && layerOf(lib).every((n) => n >= 1 && n <= 4)])).toEqual(libs.map((lib) => [lib, true]));
  });

  // Lint runs over real files only; these probes show the rule itself rejects an upward or sideways import.
  it('let ESLint reject an import of a higher or the same layer, in code and in tests', () => {
    // Probes of a lib that does not import the prober: the rule then names the layers.
    expect(boundaryErrors('etcd-store', 'dashboard')).toEqual([expect.stringContaining('"layer:2" can only depend on libs tagged with "layer:1"')]);
    expect(boundaryErrors('state-view', 'dashboard')).toEqual([expect.stringContaining('"layer:3"')]);
    expect(boundaryErrors('ingestion', 'state-view')).toEqual([expect.stringContaining('"layer:3"')]);
    expect(boundaryErrors('reconcile-jobs', 'reconciliation', 'test/layer-probe.spec.ts')).toEqual([expect.stringContaining('"layer:2"')]);
  }, 120_000);

  // Most upward imports close a cycle (the higher lib imports the lower one): the rule rejects them as such.
  it('let ESLint reject an upward import that closes a cycle', () => {
    expect(boundaryErrors('etcd-store', 'ingestion')).toEqual([expect.stringContaining('Circular dependency between "etcd-store" and "ingestion"')]);
    expect(boundaryErrors('state-view', 'rest-api')).toEqual([expect.stringContaining('Circular dependency between "state-view" and "rest-api"')]);
  }, 120_000);

  it('let ESLint accept an import of a lower layer', () => {
    expect(boundaryErrors('rest-api', 'state-view')).toEqual([]);
    expect(boundaryErrors('ingestion', 'etcd-store')).toEqual([]);
    expect(boundaryErrors('etcd-store', 'domain')).toEqual([]);
  }, 120_000);
});
