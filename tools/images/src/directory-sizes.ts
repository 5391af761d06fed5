import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of the regular files under `path` (symbolic links not followed). */
export function directoryBytes(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  let total = 0;
  for (const entry of readdirSync(path)) total += directoryBytes(join(path, entry));
  return total;
}

/** Each package of a node_modules directory (scoped ones as `@scope/name`) with its bytes, largest first. */
export function packageSizes(nodeModules: string): { name: string; bytes: number }[] {
  const sizes: { name: string; bytes: number }[] = [];
  for (const entry of readdirSync(nodeModules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(nodeModules, entry))) sizes.push({ name: `${entry}/${scoped}`, bytes: directoryBytes(join(nodeModules, entry, scoped)) });
    } else {
      sizes.push({ name: entry, bytes: directoryBytes(join(nodeModules, entry)) });
    }
  }
  return sizes.sort((a, b) => b.bytes - a.bytes);
}
