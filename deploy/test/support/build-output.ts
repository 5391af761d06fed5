import { spawn } from 'node:child_process';
import { REPO_ROOT } from './repo';

export interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs node with the given arguments from the repository root and collects its output. */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const child = spawn(process.execPath, [...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Bundles projects as their Nx build targets do (tools/workspace/build.mjs). */
export async function buildProjects(projectRoots: readonly string[]): Promise<void> {
  const results = await Promise.all(projectRoots.map((root) => runNode(['tools/workspace/build.mjs', root], process.env)));
  const failed = results.find((result) => result.status !== 0);
  if (failed) throw new Error(`build failed:\n${failed.stderr}`);
}

/** npm packages a bundle loads at run time (Node's built-ins excluded). */
export function externalPackages(bundle: string): string[] {
  const packages = new Set<string>();
  for (const match of bundle.matchAll(/require\("([^"]+)"\)/g)) {
    const specifier = match[1] ?? '';
    if (specifier.startsWith('node:') || specifier.startsWith('.')) continue;
    const parts = specifier.split('/');
    const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
    packages.add(name);
  }
  return [...packages].sort();
}
