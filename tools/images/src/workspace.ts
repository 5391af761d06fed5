import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findWorkspaceRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${start}: run the image tool from the repository`);
  }
}

/** The repository root: the build context of every image. */
export const WORKSPACE_ROOT = findWorkspaceRoot(__dirname);

/** Where the tool keeps its state and reports (dist/ is ignored by git and by the build context). */
export const IMAGES_DIST = join(WORKSPACE_ROOT, 'dist', 'images');
