import { repoPath } from './repo';

/**
 * Loads a source module of another workspace project by its path, when the test runs.
 * The deployment files must agree with the apps' configuration loaders, but the deploy
 * project is not one of the apps' dependants: it reads their contracts as they run rather
 * than importing them, which keeps it out of the build graph.
 */
export async function loadWorkspaceModule(relativePath: string): Promise<Record<string, unknown>> {
  const modulePath = repoPath(relativePath);
  const loaded: unknown = await import(modulePath);
  if (typeof loaded !== 'object' || loaded === null) throw new Error(`${relativePath} did not load as a module`);
  return loaded as Record<string, unknown>;
}

export async function loadWorkspaceFunction<F extends (...args: never[]) => unknown>(
  relativePath: string,
  exportName: string,
): Promise<F> {
  const exported = (await loadWorkspaceModule(relativePath))[exportName];
  if (typeof exported !== 'function') throw new Error(`${relativePath} does not export a function ${exportName}`);
  return exported as F;
}
