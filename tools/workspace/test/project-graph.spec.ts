import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readText, repositoryFiles, REPO_ROOT } from '../src/tracked-files';

interface GraphFile {
  graph: { nodes: Record<string, { data: { root: string } }>; dependencies: Record<string, { target: string }[]> };
}

/** The project graph as Nx computes it for task hashes and ordering. */
function nxProjectGraph(): GraphFile['graph'] {
  const dir = mkdtempSync(path.join(tmpdir(), 'nx-graph-'));
  try {
    const file = path.join(dir, 'graph.json');
    const run = spawnSync(path.join(REPO_ROOT, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], {
      cwd: REPO_ROOT,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`nx graph failed: ${run.stderr || run.stdout}`);
    return (JSON.parse(readFileSync(file, 'utf8')) as GraphFile).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Which project each `@ecs-state/...` path alias of tsconfig.base.json leads into. */
function aliasProjects(roots: Map<string, string>): Map<string, string> {
  const { compilerOptions } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };
  const projectOf = (file: string) => [...roots].find(([, root]) => file.startsWith(`${root}/`))?.[0];
  return new Map(Object.entries(compilerOptions.paths).flatMap(([alias, [target]]) => (target && projectOf(target) ? [[alias, projectOf(target) as string]] : [])));
}

/**
 * Nx keys its cache of a project's typecheck and lint on the project's own files and
 * those of the projects it depends on. A dependency missing from the graph lets a change
 * in a library leave its dependents' cached results standing, so a broken import passes.
 */
describe('the Nx project graph', () => {
  it('has an edge for every workspace import, so a change in a library re-runs its dependents’ checks', () => {
    const graph = nxProjectGraph();
    const roots = new Map(Object.entries(graph.nodes).map(([name, node]) => [name, node.data.root]));
    const aliases = aliasProjects(roots);
    expect(aliases.size).toBeGreaterThan(10);

    const missing: string[] = [];
    for (const [project, root] of roots) {
      const edges = new Set((graph.dependencies[project] ?? []).map((d) => d.target));
      const imported = new Set<string>();
      for (const file of repositoryFiles().filter((f) => f.startsWith(`${root}/`) && /\.(ts|mts|cts)$/.test(f))) {
        for (const match of (readText(REPO_ROOT, file) ?? '').matchAll(/from '(@ecs-state\/[\w/-]+)'/g)) {
          const target = aliases.get(match[1] as string);
          if (target && target !== project) imported.add(target);
        }
      }
      for (const target of imported) if (!edges.has(target)) missing.push(`${project} -> ${target}`);
    }
    expect(missing).toEqual([]);
    // The layering the graph must show, in one example: the api over the REST library over the domain.
    expect(graph.dependencies['api']?.map((d) => d.target)).toEqual(expect.arrayContaining(['rest-api', 'domain']));
    expect(graph.dependencies['rest-api']?.map((d) => d.target)).toEqual(expect.arrayContaining(['domain', 'state-view']));
  }, 120_000);
});
