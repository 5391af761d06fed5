import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root: this file sits at tools/workspace/src. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The files a clone holds (tracked) plus new ones not ignored, as repository
 * paths: what a change would commit.
 */
export function repositoryFiles(root = REPO_ROOT): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .filter((file) => file !== '');
}

/** A file's text, or undefined for binary files (a NUL byte) and files deleted from the work tree. */
export function readText(root: string, file: string): string | undefined {
  let content: string;
  try {
    content = readFileSync(path.join(root, file), 'utf8');
  } catch {
    return undefined;
  }
  return content.includes('\0') ? undefined : content;
}
