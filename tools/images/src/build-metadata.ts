import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

/** The OCI version and revision labels: package.json's version, the commit (`-dirty` with local changes). */
export function buildMetadata(): { version: string; revision: string } {
  const { version } = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: WORKSPACE_ROOT, encoding: 'utf8' }).trim() !== '';
    return { version, revision: dirty ? `${commit}-dirty` : commit };
  } catch {
    return { version, revision: 'unknown' };
  }
}
