import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every path under `root` (relative, with a leading /), symbolic links not followed. */
export function* walk(root: string, relative = ''): Generator<{ path: string; full: string; isFile: boolean }> {
  for (const entry of readdirSync(join(root, relative))) {
    const path = `${relative}/${entry}`;
    const full = join(root, path);
    const stat = lstatSync(full);
    yield { path, full, isFile: stat.isFile() };
    if (stat.isDirectory()) yield* walk(root, path);
  }
}

/** Files under `root` whose bytes contain any of `markers`. */
export function filesContaining(root: string, markers: readonly string[]): string[] {
  if (markers.length === 0) return [];
  const needles = markers.map((marker) => Buffer.from(marker));
  const found: string[] = [];
  for (const { path, full, isFile } of walk(root)) {
    if (!isFile) continue;
    const bytes = readFileSync(full);
    if (needles.some((needle) => bytes.includes(needle))) found.push(path);
  }
  return found;
}
